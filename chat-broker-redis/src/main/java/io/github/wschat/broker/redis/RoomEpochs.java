package io.github.wschat.broker.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochs of the rooms a node reads, checked against Redis ({@link #check}); {@link EpochHandover}
 * checks them after every dropped connection, the reader once a lease. Called by one thread at a time,
 * while the rooms it checks are not read.
 */
final class RoomEpochs {

    private static final Logger log = LoggerFactory.getLogger(RoomEpochs.class);

    private final RedisLink writer;
    private final RoomKeys keys;
    private final RoomScripts scripts;
    private final ConcurrentMap<String, RoomTopic> topics;

    RoomEpochs(RedisLink writer, RoomKeys keys, RoomScripts scripts, ConcurrentMap<String, RoomTopic> topics) {
        this.writer = writer;
        this.keys = keys;
        this.scripts = scripts;
        this.topics = topics;
    }

    /**
     * Checks the epoch of every room this node reads (see {@link #check(Collection, boolean)}).
     *
     * @throws RedisException if a room could not be checked
     */
    void check(boolean afterDrop) {
        List<RoomTopic> failed = check(topics.values(), afterDrop);
        if (!failed.isEmpty()) {
            throw new RedisException("could not check the epochs of " + failed.size() + " rooms, e.g. " + failed.get(0).room);
        }
    }

    /**
     * Checks the epoch of these rooms, on the reader's thread between two reads: where it changed
     * (another node found older data, or the room's keys expired and it came back), the topic
     * {@linkplain RoomTopic#adopt adopts} it. After a dropped connection ({@code afterDrop}) it also
     * checks that Redis still holds the entry this node read last, as it read it: where it does not,
     * Redis came back with older data under the same marker (restarted from an older snapshot, or a
     * replica promoted that had not received the last events), and numbers this node passed would be
     * given to other events. Then the room takes a new epoch from the first number whose event Redis
     * lost ({@link RoomScripts#NEW_EPOCH}: the first node to find it names it, the others adopt it) and
     * this node reads it again from there in the new epoch.
     *
     * <p>The rooms are checked together: one round trip for every room's epoch, one for every room's
     * last entry (after a drop); more only for a room that lost data.
     *
     * @return the rooms that could not be checked (Redis, or on a cluster their master, did not answer);
     *     the others are checked
     */
    List<RoomTopic> check(Collection<RoomTopic> rooms, boolean afterDrop) {
        List<RoomTopic> reading = new ArrayList<>();
        List<RedisFuture<List<KeyValue<String, String>>>> epochs = new ArrayList<>();
        for (RoomTopic topic : rooms) {
            if (topic.lastId != null) {
                reading.add(topic);
                epochs.add(writer.async().hmget(keys.roomEpoch(topic.room), "n", "s"));
            }
        }
        List<RoomTopic> failed = new ArrayList<>();
        // After a drop: the rooms whose epoch Redis still names, each with its last entry as Redis holds it.
        List<RoomTopic> same = new ArrayList<>();
        List<StreamMessage<String, String>> lastRead = new ArrayList<>();
        List<RedisFuture<List<StreamMessage<String, String>>>> lastHeld = new ArrayList<>();
        for (int i = 0; i < reading.size(); i++) {
            RoomTopic topic = reading.get(i);
            try {
                List<KeyValue<String, String>> found = await(epochs.get(i));
                synchronized (topic) {
                    if (found.get(0).hasValue() && !found.get(0).getValue().equals(topic.epoch)) {
                        topic.adopt(found.get(0).getValue(), Long.parseLong(found.get(1).getValue()));
                    } else if (afterDrop && !found.get(0).hasValue()) {
                        newEpoch(topic);
                    } else if (afterDrop && topic.last != null) {
                        StreamMessage<String, String> last = topic.last;
                        same.add(topic);
                        lastRead.add(last);
                        lastHeld.add(writer.async().xrange(topic.key, Range.create(last.getId(), last.getId())));
                    }
                }
            } catch (RedisException e) {
                failed.add(topic);
            }
        }
        for (int i = 0; i < same.size(); i++) {
            RoomTopic topic = same.get(i);
            try {
                List<StreamMessage<String, String>> held = await(lastHeld.get(i));
                synchronized (topic) {
                    if (topic.last == lastRead.get(i) && diverged(topic, held)) {
                        newEpoch(topic);
                    }
                }
            } catch (RedisException e) {
                failed.add(topic);
            }
        }
        return failed;
    }

    /** Gives the room a new epoch from the first number whose event Redis lost, or adopts the one another node gave. */
    private void newEpoch(RoomTopic topic) {
        RoomScripts.Epoch next = RoomScripts.Epoch.of(writer.sync().eval(RoomScripts.NEW_EPOCH,
                ScriptOutputType.MULTI, scripts.keys(topic.room),
                scripts.args(topic.room, topic.epoch, Long.toString(divergence(topic)))));
        if (!next.name().equals(topic.epoch)) {
            log.warn("Room {}: Redis holds older data than this node read (restarted from an older snapshot, "
                    + "or a replica promoted without the last events); epoch {} from sequence {}", topic.room,
                    next.name(), next.start());
        }
        topic.adopt(next.name(), next.start());
    }

    private static <T> T await(RedisFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RedisException r ? r : new RedisException(e.getCause());
        }
    }

    /**
     * Whether Redis no longer holds the topic's last entry as it was read (not: trimmed since), given
     * what Redis holds at its id.
     */
    private boolean diverged(RoomTopic topic, List<StreamMessage<String, String>> held) {
        StreamMessage<String, String> last = topic.last;
        if (!held.isEmpty()) {
            return !held.get(0).getBody().equals(last.getBody());
        }
        List<StreamMessage<String, String>> first = writer.sync().xrange(topic.key, Range.create("-", "+"), Limit.from(1));
        return first.isEmpty() || RoomTopic.compareIds(first.get(0).getId(), last.getId()) < 0;
    }

    /**
     * The first sequence number whose event, as this node read it, Redis no longer holds: the first of
     * the topic's recent events that differs; after them all, the next number.
     */
    private long divergence(RoomTopic topic) {
        StreamMessage<String, String> last = topic.last;
        List<RoomTopic.Read> recent = new ArrayList<>(topic.recent);
        if (last == null) {
            return RoomTopic.sequenceOf(topic.lastId) + 1;
        }
        if (recent.isEmpty()) {
            return RoomTopic.sequenceOf(last.getId());
        }
        Map<String, Map<String, String>> stored = new HashMap<>();
        for (StreamMessage<String, String> entry : writer.sync().xrange(topic.key,
                Range.create(recent.get(0).message().getId(), last.getId()))) {
            stored.put(entry.getId(), entry.getBody());
        }
        for (RoomTopic.Read read : recent) {
            if (!read.message().getBody().equals(stored.get(read.message().getId()))) {
                return RoomTopic.sequenceOf(read.message().getId());
            }
        }
        return RoomTopic.sequenceOf(recent.get(recent.size() - 1).message().getId()) + 1;
    }
}
