package io.github.wschat.broker.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch of the Redis data a node reads, and what happens when Redis loses it. Every dropped
 * connection is counted; the reader checks the epoch after each ({@link #recheck}), and where Redis
 * restarted empty the nodes hand the lost epoch over to each other ({@link #handOver}) before anyone
 * reads the new one. Thread-safe: the reader thread rechecks, Lettuce's threads count drops, any
 * thread asks.
 */
final class EpochHandover {

    private static final Logger log = LoggerFactory.getLogger(EpochHandover.class);
    /** How long the keys of a handover stay in Redis. */
    private static final Duration HANDOVER_KEPT = Duration.ofMinutes(10);

    private final RedisLink writer;
    private final RoomKeys keys;
    private final RoomScripts scripts;
    private final RedisRoster roster;
    private final Duration lease;
    private final Duration onceWindow;
    private final ConcurrentMap<String, RoomTopic> topics;
    /** Held by subscriptions while they read a backlog, and while an epoch is handed over. */
    private final ReentrantLock subscribing;
    /** How many times a connection to Redis dropped; the reader checks the epoch after each. */
    private final AtomicLong drops = new AtomicLong();
    /** How many drops the reader has handled (checked the epoch after). */
    private volatile long handledDrops;
    /** The nodes that were live when a connection last dropped. */
    private volatile Set<String> liveAtDrop = Set.of();
    /** The marker of the Redis data this broker reads; another value means Redis lost its data. */
    private volatile String epoch;
    /**
     * The run id of the Redis process this broker last checked ({@code INFO server}), empty on a
     * cluster: another means Redis restarted, or another took over (a Sentinel's failover), and may
     * hold older data than the nodes read.
     */
    private volatile String server;

    EpochHandover(RedisLink writer, RoomKeys keys, RoomScripts scripts, RedisRoster roster,
            Duration lease, ConcurrentMap<String, RoomTopic> topics, ReentrantLock subscribing, Duration onceWindow) {
        this.writer = writer;
        this.scripts = scripts;
        this.keys = keys;
        this.roster = roster;
        this.lease = lease;
        this.topics = topics;
        this.subscribing = subscribing;
        this.onceWindow = onceWindow;
        this.epoch = current();
        this.server = server();
    }

    /** The marker of Redis' data as a whole: new when Redis restarted empty (each room has its own epoch besides). */
    String epoch() {
        return epoch;
    }

    /** A connection dropped (a Lettuce callback): noted before anyone renews in a Redis that restarted empty. */
    void dropped() {
        roster.outage();
        liveAtDrop = roster.liveNodes();
        drops.incrementAndGet();
    }

    /** The drops counted so far; the reader passes this to {@link #handled} once it has rechecked. */
    long drops() {
        return drops.get();
    }

    void handled(long dropsSeen) {
        handledDrops = dropsSeen;
    }

    /** Whether a dropped connection is not yet handled: a backlog read now could be of a lost epoch. */
    boolean unhandledDrop() {
        return drops.get() != handledDrops;
    }

    /** The epoch marker in Redis, made now if Redis has none (first start, or restarted empty). */
    private String current() {
        writer.sync().set(keys.epoch(), String.format("%08x", ThreadLocalRandom.current().nextInt()), SetArgs.Builder.nx());
        return writer.sync().get(keys.epoch());
    }

    /**
     * After an outage: if Redis lost its data, the nodes hand over the old epoch (see {@link #handOver}),
     * then every subscription reads its room from the start of the new stream; in any case each room is
     * checked for older data than this node read ({@link #checkRooms}).
     */
    void recheck() {
        String now = current();
        String runningNow = server();
        if (!now.equals(epoch)) {
            handOverLost(now);
        } else if (!runningNow.equals(server)) {
            // Restarted, or failed over, with data: maybe older than what the nodes read. Before any
            // room takes a new epoch, the nodes hand over what they read, so that an event Redis lost
            // that only some had read reaches the others, in the old epoch.
            log.warn("Redis restarted or failed over with its data (run id {}); handing over what this node read before "
                    + "checking each room", runningNow);
            subscribing.lock();
            try {
                handOver(epoch + ":" + runningNow, liveAtDrop);
            } finally {
                subscribing.unlock();
            }
        }
        server = runningNow;
        checkRooms(true);
        roster.backFromOutage();
    }

    /** The run id of the Redis process answering, or empty on a Redis Cluster (its shards are checked per room). */
    private String server() {
        String info = writer.sync().info("server");
        if (info.contains("redis_mode:cluster")) {
            return "";
        }
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return "";
    }

    private void handOverLost(String now) {
        log.warn("Redis lost the rooms' data (restarted empty?); registering this node's nicknames and members "
                + "again, handing over epoch {}, then reading every room from its new start", epoch);
        roster.register();
        subscribing.lock();
        try {
            handOver(epoch, liveAtDrop);
            epoch = now; // each room's new epoch follows: checkRooms
        } finally {
            subscribing.unlock();
        }
    }

    /**
     * Checks the epoch of every room this node reads, on the reader's thread between two reads: where
     * it changed (another node found older data, or the room's keys expired and it came back), the
     * topic {@linkplain RoomTopic#adopt adopts} it. After a dropped connection ({@code afterDrop}) it
     * also checks that Redis still holds the entry this node read last, as it read it: where it does
     * not, Redis came back with older data under the same marker (restarted from an older snapshot, or
     * a replica promoted that had not received the last events), and numbers this node passed would be
     * given to other events. Then the room takes a new epoch from the first number whose event Redis
     * lost ({@link RoomScripts#NEW_EPOCH}: the first node to find it names it, the others adopt it) and
     * this node reads it again from there in the new epoch.
     */
    void checkRooms(boolean afterDrop) {
        List<RoomTopic> reading = new ArrayList<>();
        List<RedisFuture<List<KeyValue<String, String>>>> epochs = new ArrayList<>();
        for (RoomTopic topic : topics.values()) {
            if (topic.lastId != null) {
                reading.add(topic);
                epochs.add(writer.async().hmget(keys.roomEpoch(topic.room), "n", "s"));
            }
        }
        for (int i = 0; i < reading.size(); i++) {
            RoomTopic topic = reading.get(i);
            List<KeyValue<String, String>> found = await(epochs.get(i));
            synchronized (topic) {
                if (found.get(0).hasValue() && !found.get(0).getValue().equals(topic.epoch)) {
                    topic.adopt(found.get(0).getValue(), Long.parseLong(found.get(1).getValue()));
                } else if (afterDrop && (!found.get(0).hasValue() || diverged(topic))) {
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
            }
        }
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

    /** Whether Redis no longer holds the topic's last entry as it was read (not: trimmed since). */
    private boolean diverged(RoomTopic topic) {
        StreamMessage<String, String> last = topic.last;
        if (last == null) {
            return false;
        }
        List<StreamMessage<String, String>> at = writer.sync().xrange(topic.key, Range.create(last.getId(), last.getId()));
        if (!at.isEmpty()) {
            return !at.get(0).getBody().equals(last.getBody());
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

    /**
     * Hands over an epoch Redis lost. Redis answers the readers of a stream one after another, and a
     * reader may be between two reads: an event Redis took in the instant it died may have reached
     * only some nodes, which delivered it. So each node writes, into the new Redis, the newest events it
     * read of each room (its {@link RoomTopic#recent}) and that it has done so, waits until every node
     * that was live when the outage began has done so too (or a lease has passed: a node that died with
     * Redis), then delivers, still in the old epoch, the events others read beyond its own last — the
     * same events, in the same order, on every node. Only then does it read the new epoch.
     *
     * <p>It also keeps the keys of the events it read that were published once per key: a line resent
     * with its id after the outage finds its place in the old epoch, and is not placed again.
     */
    private void handOver(String old, Set<String> knew) {
        RedisClusterCommands<String, String> sync = writer.sync();
        List<RoomTopic> read = new ArrayList<>();
        for (RoomTopic topic : topics.values()) {
            Map<String, String> tail = new HashMap<>();
            Map<String, String> onceKeys = new HashMap<>();
            synchronized (topic) {
                if (topic.lastId == null) {
                    continue;
                }
                read.add(topic);
                for (RoomTopic.Read kept : topic.recent) {
                    StreamMessage<String, String> message = kept.message();
                    String sequence = Long.toString(RoomTopic.sequenceOf(message.getId()));
                    tail.put(sequence, EventFields.pack(message.getBody()));
                    String onceKey = message.getBody().get(EventFields.ONCE_KEY);
                    if (onceKey != null) {
                        onceKeys.put(keys.once(topic.room, onceKey), topic.epoch + ":" + sequence);
                    }
                }
            }
            onceKeys.forEach((key, place) -> sync.set(key, place, SetArgs.Builder.nx().px(onceWindow.toMillis())));
            if (!tail.isEmpty()) {
                String key = keys.handoverEvents(old, topic.room);
                sync.hset(key, tail);
                sync.pexpire(key, HANDOVER_KEPT.toMillis());
            }
        }
        Set<String> known = new HashSet<>(knew);
        known.add(roster.nodeId());
        String knownKey = keys.handoverNodes(old, "known");
        String reportedKey = keys.handoverNodes(old, "reported");
        sync.sadd(knownKey, known.toArray(String[]::new));
        sync.pexpire(knownKey, HANDOVER_KEPT.toMillis());
        sync.sadd(reportedKey, roster.nodeId());
        sync.pexpire(reportedKey, HANDOVER_KEPT.toMillis());
        Set<String> reported = awaitReports(sync, old, knownKey, reportedKey);
        int salvaged = 0;
        for (RoomTopic topic : read) {
            salvaged += salvage(sync, old, topic);
        }
        log.warn("Handed over epoch {} with {} nodes ({} of them known to this one); delivered {} events that only "
                + "other nodes had read before Redis lost them", old, reported.size(), known.size(), salvaged);
    }

    /** Waits until every known node has reported, or a lease has passed; returns those that reported. */
    private Set<String> awaitReports(RedisClusterCommands<String, String> sync, String old, String knownKey, String reportedKey) {
        long deadline = System.nanoTime() + lease.toNanos();
        while (true) {
            Set<String> reported = sync.smembers(reportedKey);
            Set<String> missing = new HashSet<>(sync.smembers(knownKey));
            missing.removeAll(reported);
            if (missing.isEmpty()) {
                return reported;
            }
            if (System.nanoTime() - deadline > 0) {
                log.warn("Nodes {} did not hand over epoch {} within a lease: taken as dead with Redis", missing, old);
                return reported;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return reported;
            }
        }
    }

    /** Delivers, in order, the events of the lost epoch other nodes read beyond this one's last. */
    private int salvage(RedisClusterCommands<String, String> sync, String old, RoomTopic topic) {
        Map<String, String> tails = sync.hgetall(keys.handoverEvents(old, topic.room));
        List<Long> sequences = tails.keySet().stream().map(Long::parseLong).sorted().toList();
        int salvaged = 0;
        for (long sequence : sequences) {
            Map<String, String> body = EventFields.unpack(tails.get(Long.toString(sequence)));
            synchronized (topic) {
                long last = RoomTopic.sequenceOf(topic.lastId);
                if (sequence <= last) {
                    continue;
                }
                if (sequence != last + 1) {
                    log.warn("Room {}: events {} to {} of epoch {} were read by no node that handed over", topic.room,
                            last + 1, sequence - 1, old);
                }
                topic.deliver(new StreamMessage<>(topic.key, sequence + "-0", body));
                salvaged++;
            }
        }
        return salvaged;
    }
}
