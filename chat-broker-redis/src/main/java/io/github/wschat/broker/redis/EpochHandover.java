package io.github.wschat.broker.redis;

import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
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
 * reads the new one; where Redis is another process with its data, they hand over what they read the
 * same way; then each room's epoch is checked ({@link RoomEpochs}). Thread-safe: the reader thread
 * rechecks, Lettuce's threads count drops, any thread asks.
 */
final class EpochHandover {

    private static final Logger log = LoggerFactory.getLogger(EpochHandover.class);
    /** How long the keys of a handover stay in Redis. */
    private static final Duration HANDOVER_KEPT = Duration.ofMinutes(10);

    private final RedisLink writer;
    private final RoomKeys keys;
    private final RoomEpochs rooms;
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
    /** On a cluster: the slots whose rooms are not checked since their master's connection dropped. */
    private final ShardOutages outages = new ShardOutages();
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
        this.keys = keys;
        this.roster = roster;
        this.lease = lease;
        this.topics = topics;
        this.subscribing = subscribing;
        this.onceWindow = onceWindow;
        this.rooms = new RoomEpochs(writer, keys, scripts, topics);
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

    /**
     * A connection to a cluster's master dropped, or a read of its rooms failed: the rooms of these
     * slots refuse lines and are not read until {@link #recheckLostSlots} has checked them.
     */
    void lostSlots(Collection<Integer> slots) {
        roster.outage();
        liveAtDrop = roster.liveNodes();
        outages.lost(slots);
    }

    /**
     * The cluster's topology names other masters for these slots (Lettuce read it again): their rooms
     * are checked before they take lines again, also where no connection dropped (a failover forced
     * while the old master lived may have lost the last events).
     */
    void movedSlots(Collection<Integer> slots) {
        outages.moved(slots);
    }

    /** Whether lines to this room are refused, and its backlog not read, until it is checked. */
    boolean uncheckedRoom(String room) {
        return unhandledDrop() || outages.holds(keys.events(room));
    }

    /** Whether this room's master is lost: it is not read until checked. */
    boolean inLostSlot(RoomTopic topic) {
        return outages.holds(topic.key);
    }

    boolean anyLostSlots() {
        return outages.any();
    }

    ShardOutages outages() {
        return outages;
    }

    /**
     * Checks the marker of Redis' data as a whole: where Redis lost it (on a cluster, the shard that
     * holds it restarted empty), hands over the lost epoch of every room (see {@link #handOver}).
     *
     * @return whether it did
     */
    boolean recheckMarker() {
        String now = current();
        if (now.equals(epoch)) {
            return false;
        }
        handOverLost(now);
        return true;
    }

    /**
     * Hands over what this node read of these rooms to the other nodes, and takes what they read (see
     * {@link #handOver}), under this name: a cluster's shard that is another process than before (a
     * replica promoted, a master restarted) may lack events some nodes read.
     */
    void handOverShard(String name, Collection<RoomTopic> rooms) {
        roster.register(); // the shard may have come back without this node's members and nicknames
        subscribing.lock();
        try {
            handOver(epoch + ":" + name, liveAtDrop, rooms);
        } finally {
            subscribing.unlock();
        }
    }

    /** The rooms of lost slots are checked: if nothing else is lost, nodes may be reaped again after a lease. */
    void lostSlotsChecked() {
        if (!outages.any() && !unhandledDrop()) {
            roster.backFromOutage();
        }
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
                handOver(epoch + ":" + runningNow, liveAtDrop, topics.values());
            } finally {
                subscribing.unlock();
            }
        }
        server = runningNow;
        checkRooms(true);
        if (!outages.any()) {
            roster.backFromOutage();
        }
    }

    /** The run id of the Redis process answering, or empty on a Redis Cluster (its shards are checked per room). */
    private String server() {
        String info = writer.sync().info("server");
        return info.contains("redis_mode:cluster") ? "" : RedisConnections.runId(info);
    }

    private void handOverLost(String now) {
        log.warn("Redis lost the rooms' data (restarted empty?); registering this node's nicknames and members "
                + "again, handing over epoch {}, then reading every room from its new start", epoch);
        roster.register();
        subscribing.lock();
        try {
            handOver(epoch, liveAtDrop, topics.values());
            epoch = now; // each room's new epoch follows: checkRooms
        } finally {
            subscribing.unlock();
        }
    }

    /** As {@link RoomEpochs#check(boolean)}. */
    void checkRooms(boolean afterDrop) {
        rooms.check(afterDrop);
    }

    /** As {@link RoomEpochs#check(Collection, boolean)}: returns the rooms that could not be checked. */
    List<RoomTopic> checkRooms(Collection<RoomTopic> topics, boolean afterDrop) {
        return rooms.check(topics, afterDrop);
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
    private void handOver(String old, Set<String> knew, Collection<RoomTopic> rooms) {
        RedisClusterCommands<String, String> sync = writer.sync();
        List<RoomTopic> read = new ArrayList<>();
        for (RoomTopic topic : rooms) {
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
