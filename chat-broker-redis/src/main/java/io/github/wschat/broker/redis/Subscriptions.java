package io.github.wschat.broker.redis;

import io.github.wschat.Registration;
import io.github.wschat.broker.Broker.Listener;
import io.github.wschat.broker.BrokerUnavailableException;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rooms a node reads, as the broker's subscriptions: the first subscriber of a room on this node
 * makes its {@link RoomTopic} (reading the backlog, remembering it for a handover) and wakes the
 * reader; later subscribers join it under its lock, so that their backlog ends where the live events
 * begin. The last one to leave stops the topic. Thread-safe.
 */
final class Subscriptions {

    private final RedisLink writer;
    private final RoomKeys keys;
    private final Duration lease;
    private final Duration commandTimeout;
    private final ConcurrentMap<String, RoomTopic> topics;
    private final ReentrantLock subscribing;
    private final EpochHandover epochs;
    private final RoomReader reader;
    private final RoomScripts scripts;

    Subscriptions(RedisLink writer, RoomKeys keys, Duration lease, Duration commandTimeout,
            ConcurrentMap<String, RoomTopic> topics, ReentrantLock subscribing, EpochHandover epochs,
            RoomReader reader, RoomScripts scripts) {
        this.writer = writer;
        this.scripts = scripts;
        this.keys = keys;
        this.lease = lease;
        this.commandTimeout = commandTimeout;
        this.topics = topics;
        this.subscribing = subscribing;
        this.epochs = epochs;
        this.reader = reader;
    }

    /**
     * Subscribes the listener to the room: delivers up to {@code backlog} of the room's newest events,
     * then every later one, with no gap and no duplicate at the seam. While the nodes hand over an epoch
     * Redis lost, waits for that at most the command timeout.
     *
     * @throws BrokerUnavailableException if Redis does not answer, or the handover takes longer
     */
    Registration subscribe(String room, int backlog, Listener listener) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(listener, "listener");
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog is negative");
        }
        try {
            if (!subscribing.tryLock(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BrokerUnavailableException("Redis restarted empty and the nodes are handing over; "
                        + "cannot subscribe to " + room + " yet", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while subscribing to " + room, e);
        }
        try {
            subscribeLocked(room, backlog, listener);
        } catch (RedisException e) {
            throw new BrokerUnavailableException("Redis did not answer: subscribe to " + room, e);
        } finally {
            subscribing.unlock();
        }
        return () -> topics.computeIfPresent(room, (name, current) -> {
            synchronized (current) {
                current.listeners.remove(listener);
                if (!current.listeners.isEmpty()) {
                    return current;
                }
                current.stopReading();
                reader.notReading(room);
                return null;
            }
        });
    }

    /** Under {@link #subscribing}: not while an epoch is handed over, so that a backlog is of one epoch. */
    private void subscribeLocked(String room, int backlog, Listener listener) {
        requireNoDrop(room);
        while (true) {
            RoomTopic topic = topics.get(room);
            if (topic == null) {
                RoomTopic fresh = new RoomTopic(room, keys.events(room), lease);
                synchronized (fresh) {
                    if (topics.putIfAbsent(room, fresh) != null) {
                        continue; // another subscriber made it first: join that one
                    }
                    try {
                        StreamMessage<String, String> last = replayFresh(fresh, backlog, listener);
                        requireNoDrop(room);
                        fresh.readUpTo(last == null ? "0-0" : last.getId(), last);
                    } catch (RuntimeException e) {
                        topics.remove(room, fresh); // not read: the next subscriber starts afresh
                        throw e;
                    }
                    fresh.listeners.add(listener);
                }
                reader.reading(room);
            } else {
                synchronized (topic) {
                    if (topics.get(room) != topic) {
                        continue; // removed meanwhile
                    }
                    // The reader delivers under this lock: the backlog ends exactly where the live events begin.
                    replay(topic, topic.lastId == null ? "+" : topic.lastId, backlog, listener, false);
                    requireNoDrop(room);
                    topic.listeners.add(listener);
                }
            }
            break;
        }
    }

    /**
     * Refuses while a dropped connection is not yet handled by the reader: Redis may have restarted
     * empty, and a backlog read now could belong to an epoch this node has not handed over to yet.
     */
    private void requireNoDrop(String room) {
        if (epochs.uncheckedRoom(room)) {
            throw new BrokerUnavailableException("the connection to Redis dropped and is being checked; cannot "
                    + "subscribe to " + room + " yet", null);
        }
    }

    /**
     * Delivers to one listener up to {@code backlog} entries of the room's stream up to {@code until}
     * (inclusive; {@code +} for the newest) and of the current epoch, oldest first, and returns the
     * newest entry of the stream seen, or null for an empty stream. A new topic {@code remembers} them
     * for a handover.
     */
    private StreamMessage<String, String> replay(RoomTopic topic, String until, int backlog, Listener listener,
            boolean remember) {
        return deliverBacklog(topic, writer.sync().xrevrange(topic.key, Range.create("-", until),
                Limit.from(Math.max(1, backlog))), backlog, listener, remember);
    }

    /** As {@link #replay} for a new topic: the room's epoch (made where it has none) and its newest entries, at once. */
    @SuppressWarnings("unchecked")
    private StreamMessage<String, String> replayFresh(RoomTopic topic, int backlog, Listener listener) {
        List<Object> answer = writer.sync().eval(RoomScripts.BACKLOG, ScriptOutputType.MULTI, scripts.keys(topic.room),
                scripts.args(topic.room, Integer.toString(Math.max(1, backlog))));
        topic.epoch = (String) answer.get(0);
        List<StreamMessage<String, String>> newest = new ArrayList<>();
        for (Object entry : (List<Object>) answer.get(2)) {
            List<Object> parts = (List<Object>) entry;
            List<Object> flat = (List<Object>) parts.get(1);
            Map<String, String> body = new LinkedHashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                body.put((String) flat.get(i), (String) flat.get(i + 1));
            }
            newest.add(new StreamMessage<>(topic.key, (String) parts.get(0), body));
        }
        return deliverBacklog(topic, newest, backlog, listener, true);
    }

    /** Delivers {@code newest} (newest first) after the newest epoch marker among them, oldest first. */
    private static StreamMessage<String, String> deliverBacklog(RoomTopic topic, List<StreamMessage<String, String>> newest,
            int backlog, Listener listener, boolean remember) {
        if (newest.isEmpty()) {
            return null;
        }
        int current = 0;
        while (current < newest.size() && !RoomTopic.isMarker(newest.get(current))) {
            current++; // entries before the newest marker are of an earlier epoch
        }
        for (int i = Math.min(current, newest.size()) - 1; i >= 0; i--) {
            if (i < backlog) {
                topic.deliverTo(List.of(listener), newest.get(i));
            }
            if (remember) {
                topic.remember(newest.get(i));
            }
        }
        return newest.get(0);
    }

    /** As {@link RedisBroker#recent}: the newest entries of the room's stream, without private lines. */
    List<io.github.wschat.broker.StoredEvent> recent(String room, int max) {
        List<StreamMessage<String, String>> newest;
        try {
            newest = writer.sync().xrevrange(keys.events(room), Range.create("-", "+"), Limit.from(Math.max(1, max) * 2L));
        } catch (io.lettuce.core.RedisException e) {
            throw new BrokerUnavailableException("Redis did not answer: the history of " + room, e);
        }
        java.util.ArrayDeque<io.github.wschat.broker.StoredEvent> events = new java.util.ArrayDeque<>();
        for (StreamMessage<String, String> message : newest) {
            if (events.size() == max || RoomTopic.isMarker(message)) {
                break; // older entries are of an earlier epoch
            }
            try {
                io.github.wschat.broker.RoomEvent event = EventFields.event(message.getBody());
                if (event.isPublic()) {
                    events.addFirst(new io.github.wschat.broker.StoredEvent(
                            Long.parseLong(message.getId().substring(0, message.getId().indexOf('-'))),
                            Long.parseLong(message.getBody().getOrDefault("t", "0")), event));
                }
            } catch (IllegalArgumentException e) {
                // not a wschat entry: skipped, as the reader skips it
            }
        }
        return List.copyOf(events);
    }
}
