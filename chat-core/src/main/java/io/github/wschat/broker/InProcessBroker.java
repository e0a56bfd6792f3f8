package io.github.wschat.broker;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.github.wschat.Registration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node broker: a room's order is the order in which publishers take the room's lock, and
 * {@link #publish} delivers to every subscriber on the publishing thread before it returns, except
 * that an event published by a listener while it receives an event of the same room is queued and
 * delivered right after that event, so that every subscriber still sees one order. Rooms do not wait
 * for each other.
 *
 * <p>{@link #publishOnce} remembers each key it placed, with its place, for a window (10 minutes by
 * default) and at most {@value #ONCE_KEYS} keys (the oldest forgotten first); the memory is the
 * broker's, so a room made anew still knows the keys placed in it before. Thread-safe.
 */
public final class InProcessBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(InProcessBroker.class);

    private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final List<PlacedListener> placedListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    /** Room and key of each event placed once, with its place; under the room's lock. */
    private final Cache<String, Placement> placedOnce;

    /** How many keys of {@link #publishOnce} the broker remembers at most. */
    public static final int ONCE_KEYS = 200_000;
    /** How long {@link #publishOnce} remembers a key by default. */
    public static final Duration ONCE_WINDOW = Duration.ofMinutes(10);

    /** Creates a broker with no rooms, stamping events with the system clock. */
    public InProcessBroker() {
        this(Clock.systemUTC());
    }

    /**
     * Creates a broker with no rooms.
     *
     * @param clock stamps each event with the time it takes its place in its room's order
     */
    public InProcessBroker(Clock clock) {
        this(clock, ONCE_WINDOW);
    }

    /**
     * Creates a broker with no rooms.
     *
     * @param clock stamps each event with the time it takes its place, and times the window
     * @param onceWindow how long {@link #publishOnce} remembers a key, positive
     */
    public InProcessBroker(Clock clock, Duration onceWindow) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (onceWindow.isNegative() || onceWindow.isZero()) {
            throw new IllegalArgumentException("the window must be positive: " + onceWindow);
        }
        Ticker ticker = new Ticker() {
            @Override
            public long read() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }
        };
        this.placedOnce = CacheBuilder.newBuilder().ticker(ticker).expireAfterWrite(onceWindow)
                .maximumSize(ONCE_KEYS).build();
    }

    /** A new epoch each time a room gets its first subscriber: its numbering starts again then. */
    @Override
    public String epoch(String room) {
        Topic topic = topics.get(room);
        return topic == null ? "" : topic.epoch;
    }

    /** Holds no events: the backlog is always empty. */
    @Override
    public Registration subscribe(String room, int backlog, Listener listener) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(listener, "listener");
        topics.compute(room, (name, topic) -> {
            Topic t = topic == null ? new Topic() : topic;
            t.listeners.add(listener);
            return t;
        });
        return () -> topics.computeIfPresent(room, (name, topic) -> {
            topic.listeners.remove(listener);
            return topic.listeners.isEmpty() ? null : topic;
        });
    }

    @Override
    public CompletionStage<Void> publish(String room, RoomEvent event) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(event, "event");
        Topic topic = topics.get(room);
        if (topic == null) {
            log.debug("No subscriber in room {}; dropped {}", room, event);
            return Broker.placed();
        }
        if (topic.lock.isHeldByCurrentThread()) {
            // Published from inside a listener (e.g. a member dropped during fan-out announces its
            // leave): the event takes the next place in the order, after the one being delivered.
            topic.pending.add(event);
            return Broker.placed();
        }
        topic.lock.lock();
        try {
            deliver(room, topic, event);
            RoomEvent next;
            while ((next = topic.pending.poll()) != null) {
                deliver(room, topic, next);
            }
        } finally {
            topic.lock.unlock();
        }
        return Broker.placed();
    }

    /** Places the event unless its key was placed in the room within the window; see {@link Broker#publishOnce}. */
    @Override
    public CompletionStage<Placement> publishOnce(String room, RoomEvent event, String key) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(event, "event");
        String once = room + "\n" + Broker.requireOnceKey(key);
        Topic topic = topics.get(room);
        if (topic == null) {
            return CompletableFuture.failedStage(new NoSuchElementException("room " + room + " has no subscriber"));
        }
        if (topic.lock.isHeldByCurrentThread()) {
            Placement first = placedOnce.getIfPresent(once);
            if (first != null) {
                return CompletableFuture.completedStage(first.asRepeat());
            }
            // Published from inside a listener: its place is after the events already waiting.
            Placement placement = new Placement(topic.epoch, topic.sequence + topic.pending.size() + 1, false);
            topic.pending.add(event);
            placedOnce.put(once, placement);
            return CompletableFuture.completedStage(placement);
        }
        Placement placement;
        topic.lock.lock();
        try {
            Placement first = placedOnce.getIfPresent(once);
            if (first != null) {
                return CompletableFuture.completedStage(first.asRepeat());
            }
            deliver(room, topic, event);
            placement = new Placement(topic.epoch, topic.sequence, false);
            placedOnce.put(once, placement);
            RoomEvent next;
            while ((next = topic.pending.poll()) != null) {
                deliver(room, topic, next);
            }
        } finally {
            topic.lock.unlock();
        }
        return CompletableFuture.completedStage(placement);
    }

    private void deliver(String room, Topic topic, RoomEvent event) {
        long sequence = ++topic.sequence;
        long time = clock.millis();
        for (Listener listener : topic.listeners) {
            try {
                listener.onEvent(sequence, time, event);
            } catch (RuntimeException e) {
                log.warn("A listener of room {} threw on event {}", room, sequence, e);
            }
        }
        for (PlacedListener listener : placedListeners) {
            try {
                listener.placed(room, topic.epoch, sequence, time, event);
            } catch (RuntimeException e) {
                log.warn("A placed-listener threw on event {} of room {}", sequence, room, e);
            }
        }
    }

    /** Every event is placed here: each is told once, under the room's lock, in the room's order. */
    @Override
    public Registration onPlaced(PlacedListener listener) {
        Objects.requireNonNull(listener, "listener");
        placedListeners.add(listener);
        return () -> placedListeners.remove(listener);
    }

    @Override
    public void close() {
        topics.clear();
    }

    private static final class Topic {
        final ReentrantLock lock = new ReentrantLock();
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        final Queue<RoomEvent> pending = new ArrayDeque<>();
        final String epoch = String.format("%08x", ThreadLocalRandom.current().nextInt());
        long sequence;
    }
}
