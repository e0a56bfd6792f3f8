package io.github.wschat.presence;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Joins and leaves placed in the order they were decided. A decision (this device was a person's
 * first, that one its last) is made under the owner's lock, but placing it may wait for a broker and
 * must not hold that lock; so decisions are {@linkplain #add added} under the lock, in order, and
 * {@linkplain #drain drained} after it by whichever thread comes first, one at a time. A person who
 * leaves on one thread and comes back on another is announced leaving, then joining — never the other
 * way round. Thread-safe.
 *
 * @param <A> an announcement
 */
public final class Announcements<A> {

    private final Queue<A> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Consumer<A> place;

    /**
     * @param place places one announcement; called by one thread at a time, in the order added
     */
    public Announcements(Consumer<A> place) {
        this.place = Objects.requireNonNull(place, "place");
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
     * Places what was added, unless another thread is placing: then that thread places it too. Call
     * after releasing the lock under which announcements were added.
     */
    public void drain() {
        while (!pending.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                A next;
                while ((next = pending.poll()) != null) {
                    place.accept(next);
                }
            } finally {
                draining.set(false);
            }
        }
    }
}
