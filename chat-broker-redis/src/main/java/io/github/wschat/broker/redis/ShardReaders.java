package io.github.wschat.broker.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readers of a Redis Cluster: one thread per shard (a master and its replicas), each reading the
 * streams of the rooms whose slot that master holds. A Redis Cluster refuses one XREAD over streams of
 * different slots, and a blocking read would hold a connection per slot; so each room's stream is read
 * on its own (one key: the cluster connection sends it to the slot's master, several at once) when the
 * room is <em>woken</em>: the append script announces each entry on the room's sharded Pub/Sub channel
 * ({@code SPUBLISH P:{R}:wake}, in the room's slot, so the shard's master tells this node directly),
 * and this node listens to the channels of the rooms it reads ({@code SSUBSCRIBE}). The stream stays
 * the order and the record: a wake only says when to read, so a wake lost (Pub/Sub is at most once)
 * delays a room until the next full pass — after every dropped connection and once a lease — never
 * loses or reorders an entry.
 *
 * <p>A shard's reader follows the cluster's topology (Lettuce refreshes it on MOVED/ASK, on a
 * failover, and periodically): which master holds a room is looked up on every pass, so a resharding
 * or a failover moves the room to the reader of its new master. When a master's connection drops (it
 * failed over, or restarted), or a read of its rooms fails, only its rooms stop: they refuse lines and
 * are not read until the checker thread has checked their epochs ({@link ShardRechecks}:
 * a promoted replica that lacks the last events the nodes read is older data under the same marker),
 * which it retries until their new master answers; the other masters' rooms go on. A drop that cannot be
 * placed on a master stops every reader until one has had every room checked
 * ({@link EpochHandover#recheck}). Thread-safe.
 */
final class ShardReaders implements RoomReader {

    private static final Logger log = LoggerFactory.getLogger(ShardReaders.class);

    private final StatefulRedisClusterConnection<String, String> cluster;
    private final StatefulRedisClusterPubSubConnection<String, String> wakes;
    private final RoomKeys keys;
    private final ConcurrentMap<String, RoomTopic> topics;
    private final EpochHandover epochs;
    private final ShardRechecks rechecks;
    private final Duration timeout;
    private final long fullPassNanos;
    private final Consumer<Boolean> availability;
    /** By master node id. */
    private final ConcurrentMap<String, Shard> shards = new ConcurrentHashMap<>();
    /** Rooms whose wake channel this node does not listen to yet. */
    private final Set<String> unheard = ConcurrentHashMap.newKeySet();
    /** Readers read under its read lock; the epochs are checked under its write lock. */
    private final ReadWriteLock reading = new ReentrantReadWriteLock();
    private final Object checking = new Object();
    private volatile boolean failed;
    private volatile boolean stopped;
    private volatile long checkedAt = System.nanoTime();

    /**
     * @param cluster the connection the rooms' streams are read on (not the writer's, so that a slow
     *     read does not hold appends back)
     * @param wakes the sharded Pub/Sub connection the rooms' wakes come on
     * @param masters slot to the identity ({@code nodeId/runId}) of the master serving it (see {@link ShardRechecks})
     * @param timeout how long a read may take before its shard counts as lost
     * @param fullPass how often every room is read even if not woken, and the epochs checked
     */
    ShardReaders(StatefulRedisClusterConnection<String, String> cluster,
            StatefulRedisClusterPubSubConnection<String, String> wakes, RoomKeys keys,
            ConcurrentMap<String, RoomTopic> topics, EpochHandover epochs, Supplier<Map<Integer, String>> masters,
            Duration timeout, Duration fullPass, Consumer<Boolean> availability) {
        this.cluster = cluster;
        this.wakes = wakes;
        this.keys = keys;
        this.topics = topics;
        this.epochs = epochs;
        this.rechecks = new ShardRechecks(epochs, topics, masters);
        this.timeout = timeout;
        this.fullPassNanos = fullPass.toNanos();
        this.availability = availability;
        wakes.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, String channel, String message) {
                woken(keys.roomOfWake(channel));
            }
        });
    }

    @Override
    public void start() {
        rechecks.start(checking, this::startShards, back -> {
            back.forEach(topic -> unheard.add(topic.room));
            listen();
            back.forEach(topic -> woken(topic.room));
        });
        startShards();
    }

    /** A reader for every master, also one promoted since. */
    private void startShards() {
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                shard(node.getNodeId());
            }
        }
    }

    @Override
    public void reading(String room) {
        unheard.add(room);
        listen();
        woken(room);
    }

    /**
     * Listens for the wakes of the rooms not listened to yet (new, or after a failover: Lettuce may not
     * take a room's subscription to its slot's new master). A room whose subscription fails is read on
     * every full pass until a later try succeeds.
     */
    private void listen() {
        for (String room : unheard) {
            if (!topics.containsKey(room)) {
                unheard.remove(room);
                continue;
            }
            try {
                wakes.sync().ssubscribe(keys.wake(room));
                unheard.remove(room);
            } catch (RedisException e) {
                log.debug("Could not listen for room {}'s entries yet: {}", room, e.toString());
            }
        }
    }

    @Override
    public void notReading(String room) {
        try {
            wakes.async().sunsubscribe(keys.wake(room));
        } catch (RedisException e) {
            log.debug("Could not stop listening for room {}", room, e);
        }
    }

    private void woken(String room) {
        RoomTopic topic = topics.get(room);
        if (topic != null) {
            shard(masterOf(topic)).wake(room);
        }
    }

    private String masterOf(RoomTopic topic) {
        RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(topic.key));
        return master == null ? "" : master.getNodeId();
    }

    private Shard shard(String nodeId) {
        return shards.computeIfAbsent(nodeId, id -> {
            Shard shard = new Shard(id);
            if (!stopped) {
                shard.thread.start();
            }
            return shard;
        });
    }

    @Override
    public void stop() {
        stopped = true;
        rechecks.stop();
        for (Shard shard : shards.values()) {
            shard.wake(null);
            try {
                shard.thread.join(timeout.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void kill() {
        stopped = true;
        rechecks.stop();
        shards.values().forEach(shard -> shard.thread.interrupt());
    }

    /**
     * After a dropped connection or a failed read: one reader, while no other reads, has every room's
     * epoch checked (and Redis' handed over where it restarted empty); once a lease, the same without
     * a drop. Returns false while Redis cannot be checked.
     */
    private boolean checkIfDue() {
        boolean due = failed || epochs.unhandledDrop();
        boolean periodic = System.nanoTime() - checkedAt > fullPassNanos;
        if (!due && !periodic) {
            return true;
        }
        synchronized (checking) {
            due = failed || epochs.unhandledDrop();
            if (!due && System.nanoTime() - checkedAt <= fullPassNanos) {
                return true; // another reader checked meanwhile
            }
            reading.writeLock().lock();
            try {
                long dropped = epochs.drops();
                if (due) {
                    topics.values().forEach(RoomTopic::unconfirm);
                    epochs.recheck();
                    failed = false;
                    epochs.handled(dropped);
                    availability.accept(true);
                } else {
                    // A room whose master does not answer is lost (and checked again) on its own.
                    List<RoomTopic> failedRooms = epochs.checkRooms(topics.values().stream()
                            .filter(topic -> !epochs.inLostSlot(topic)).toList(), false);
                    if (!failedRooms.isEmpty()) {
                        epochs.lostSlots(ShardOutages.slotsOf(failedRooms));
                    }
                    rechecks.noteMasters();
                }
                checkedAt = System.nanoTime();
                startShards(); // a master promoted meanwhile gets its reader
                if (due) {
                    unheard.addAll(topics.keySet());
                }
                listen();
                shards.values().forEach(Shard::wakeAll);
                return true;
            } catch (RedisException e) {
                failed = true;
                availability.accept(false);
                return false;
            } finally {
                reading.writeLock().unlock();
            }
        }
    }

    /** The reader of one shard. */
    private final class Shard {

        private final String nodeId;
        private final Thread thread;
        private final Set<String> woken = new HashSet<>(); // guarded by itself
        private boolean all = true; // guarded by woken: read every room of the shard on the next pass

        Shard(String nodeId) {
            this.nodeId = nodeId;
            this.thread = new Thread(this::readLoop, "wschat-redis-shard-" + nodeId.substring(0, Math.min(8, nodeId.length())));
            thread.setDaemon(true);
        }

        void wake(String room) {
            synchronized (woken) {
                if (room != null) {
                    woken.add(room);
                }
                woken.notifyAll();
            }
        }

        void wakeAll() {
            synchronized (woken) {
                all = true;
                woken.notifyAll();
            }
        }

        private void readLoop() {
            long fullPassAt = System.nanoTime();
            while (!stopped) {
                if (!checkIfDue()) {
                    sleepQuietly(100);
                    continue;
                }
                if (System.nanoTime() - fullPassAt > fullPassNanos) {
                    wakeAll();
                    fullPassAt = System.nanoTime();
                }
                List<RoomTopic> due = new ArrayList<>();
                synchronized (woken) {
                    // A wake names its rooms: only a full pass looks at every room the node reads.
                    for (RoomTopic topic : all ? topics.values() : woken.stream().map(topics::get).toList()) {
                        if (topic != null && topic.lastId != null && !epochs.inLostSlot(topic)
                                && masterOf(topic).equals(nodeId)) {
                            due.add(topic);
                        }
                    }
                    all = false;
                    woken.clear();
                    if (due.isEmpty()) {
                        try {
                            woken.wait(TimeUnit.NANOSECONDS.toMillis(fullPassNanos) / 4 + 1);
                        } catch (InterruptedException e) {
                            return;
                        }
                        continue;
                    }
                }
                reading.readLock().lock();
                try {
                    read(due);
                } catch (RedisException | TimeoutException | ExecutionException e) {
                    if (!stopped) {
                        log.warn("Reading the rooms of shard {} failed; checking their epochs, then reading again: {}",
                                nodeId, e.toString());
                        epochs.lostSlots(ShardOutages.slotsOf(due));
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    reading.readLock().unlock();
                }
            }
        }

        /** Reads each room's new entries, all rooms at once, and delivers them room by room, in stream order. */
        private void read(List<RoomTopic> due) throws InterruptedException, ExecutionException, TimeoutException {
            List<RedisFuture<List<StreamMessage<String, String>>>> reads = new ArrayList<>(due.size());
            for (RoomTopic topic : due) {
                reads.add(cluster.async().xread(XReadArgs.Builder.count(1024),
                        XReadArgs.StreamOffset.from(topic.key, topic.lastId)));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < due.size(); i++) {
                List<StreamMessage<String, String>> entries = reads.get(i)
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (entries == null) {
                    continue;
                }
                for (StreamMessage<String, String> entry : entries) {
                    due.get(i).deliver(entry);
                }
                if (entries.size() == 1024) {
                    wake(due.get(i).room); // more to read
                }
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
