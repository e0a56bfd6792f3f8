package io.github.wschat.presence;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Joins and leaves placed in the order they were decided. A decision (this device was a person's
 * first, that one its last) is made under the owner's lock, but placing it may wait for a broker and
 * must not hold that lock; so decisions are {@linkplain #add added} under the lock, in order, and
 * {@linkplain #drain drained} after it by whichever thread comes first, one at a time. A person who
 * leaves on one thread and comes back on another is announced leaving, then joining — never the other
 * way round.
 *
 * <p>With an executor for bursts, a drain places at most a few announcements on the calling thread
 * (a transport's, usually) and hands the rest to the executor: when thousands of members go at once,
 * the threads that see them go keep taking them out of the room, instead of each one announcing
 * thousands of leaves to members that are gone already, but not yet known to be. Thread-safe.
 *
 * @param <A> an announcement
 */
public final class Announcements<A> {

    /** How many announcements a drain places on its own thread before it hands a burst on. */
    static final int INLINE = 4;

    /** Announcements ({@code A}) and, among them, actions to run in their turn ({@link Then}). */
    private final Queue<Object> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Consumer<A> place;
    /** Null: every announcement on the draining thread. */
    private final Executor bursts;

    /**
     * Announcements placed by the threads that drain them, however many.
     *
     * @param place places one announcement; called by one thread at a time, in the order added
     */
    public Announcements(Consumer<A> place) {
        this.place = Objects.requireNonNull(place, "place");
        this.bursts = null;
    }

    /**
     * Announcements of which a drain places a few itself and leaves a burst's rest to {@code bursts}.
     *
     * @param place places one announcement; called by one thread at a time, in the order added
     * @param bursts where the rest of a burst is placed, in order (a thread that may wait); a rejected
     *     task places the rest on the draining thread
     */
    public Announcements(Consumer<A> place, Executor bursts) {
        this.place = Objects.requireNonNull(place, "place");
        this.bursts = Objects.requireNonNull(bursts, "bursts");
    }

    /**
     * Adds an announcement after those added before; call under the lock that decided it.
     *
     * @param announcement the announcement
     */
    public void add(A announcement) {
        pending.add(Objects.requireNonNull(announcement, "announcement"));
    }

    /**
     * Adds an action to run once everything added before it is placed, in its turn, by whichever
     * thread places them (say, closing a room once its last leaves are out); call under the same lock.
     *
     * @param action the action; it must not block
     */
    public void then(Runnable action) {
        pending.add(new Then(Objects.requireNonNull(action, "action")));
    }

    /** An action among the announcements. */
    private record Then(Runnable action) {
    }

    /**
     * Places what was added, unless another thread (or a burst's task) is placing: then that one
     * places it too. Call after releasing the lock under which announcements were added.
     */
    public void drain() {
        while (!pending.isEmpty() && draining.compareAndSet(false, true)) {
            boolean handedOn = false;
            try {
                Object next;
                for (int placed = 0; (next = pending.peek()) != null; placed++) {
                    if (placed == INLINE && bursts != null) {
                        handedOn = handOn();
                        if (handedOn) {
                            return;
                        }
                    }
                    pending.poll();
                    run(next);
                }
            } finally {
                if (!handedOn) {
                    draining.set(false);
                }
            }
        }
    }

    @SuppressWarnings("unchecked") // only A and Then are ever added
    private void run(Object next) {
        if (next instanceof Then then) {
            then.action().run();
        } else {
            place.accept((A) next);
        }
    }

    /** Hands the rest to the burst executor, which then owns the drain; false if it refused. */
    private boolean handOn() {
        try {
            bursts.execute(this::drainBurst);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    private void drainBurst() {
        try {
            Object next;
            while ((next = pending.poll()) != null) {
                run(next);
            }
        } finally {
            draining.set(false);
        }
        drain(); // what was added after the last poll, before the flag was down
    }
}
