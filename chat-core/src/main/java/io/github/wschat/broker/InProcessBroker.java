package io.github.wschat.broker;

import io.github.wschat.Registration;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node broker: a room's order is the order in which publishers take the room's lock, and
 * {@link #publish} delivers to every subscriber on the publishing thread before it returns, except
 * that an event published by a listener while it receives an event of the same room is queued and
 * delivered right after that event, so that every subscriber still sees one order. Rooms do not wait
 * for each other. Thread-safe.
 */
public final class InProcessBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(InProcessBroker.class);

    private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final List<PlacedListener> placedListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

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
        this.clock = Objects.requireNonNull(clock, "clock");
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
