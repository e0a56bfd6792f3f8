package io.github.wschat.broker.redis;

import io.github.wschat.Registration;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Placement;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.Roster;
import io.github.wschat.broker.Sanctions;
import io.github.wschat.broker.StoredEvent;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} for several wschat nodes on one Redis: every event of a room takes its place in a
 * Redis stream, and every node reads it back and delivers it in that order — also its own members'
 * lines, so that no node reorders them. Sequence numbers are contiguous per room across the nodes.
 *
 * <p>Keys, for a room R and the prefix P (default {@code wschat}): {@code P:{R}:seq}, the room's
 * counter, {@code P:{R}:events}, its stream, trimmed to {@link Builder#streamLength} entries and
 * {@link Builder#streamBytes} bytes, and {@code P:{R}:epoch}, its epoch. The braces make them one hash
 * slot, so that a Redis Cluster holds a room's keys together. They expire
 * {@link Builder#roomRetention} after the room's last member left; a room that comes back later is a
 * new epoch of it.
 *
 * <p>It runs on one Redis (or the master a Sentinel names) and on a Redis Cluster alike: every
 * command but the reader's touches one key, or one room's keys in a script, so the cluster sends it to
 * the slot's master.
 *
 * <p>Its parts, each in a class of its own: {@link RoomKeys} (where everything lives),
 * {@link RoomScripts} (the scripts that change a room: its epoch, its budget, its retention),
 * {@link RedisConnections} (one Redis or a cluster), {@link StreamAppender} (one script per event, in
 * publishing order), {@link Subscriptions} and {@link RoomTopic} (a room read on this node, its
 * backlog seam and its pending outcomes), a {@link RoomReader} ({@link StreamReader}: one thread and
 * one blocking XREAD over the node's rooms; on a cluster {@link ShardReaders}: a reader per shard,
 * woken through each room's sharded Pub/Sub channel),
 * {@link EpochHandover} (when Redis restarts empty, the nodes hand the lost epoch over to each other
 * through the new Redis before they read on, so that an event only some of them had read as Redis
 * died reaches all of them: docs/SCALING.md) and {@link RedisRoster} (nicknames, presence, leases).
 *
 * <p>Thread-safe. Close it to stop the reader and the connections.
 */
public final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final ClientResources resources;
    private final RedisConnections connections;
    private final Duration commandTimeout;
    private final RedisLink writer;
    private final RoomKeys keys;
    private final RoomScripts scripts;
    private final ConcurrentMap<String, RoomTopic> topics = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held by subscriptions while they read a backlog, and while an epoch is handed over. */
    private final ReentrantLock subscribing = new ReentrantLock();
    private final RedisRoster roster;
    private final RedisSanctions sanctions;
    private final EpochHandover epochs;
    private final RoomReader streamReader;
    private final Subscriptions subscriptions;
    private final StreamAppender appender;
    private final BrokerSignals signals = new BrokerSignals();
    private final LeaseKeeper leases;

    private RedisBroker(Builder builder) {
        // Reconnect within a fraction of a lease, so that after Redis restarts every live node hands
        // over in time (Lettuce's default backoff grows to 30 s).
        Duration reconnectCap = Duration.ofMillis(Math.max(50, Math.min(1000, builder.lease.toMillis() / 4)));
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), reconnectCap, 2, TimeUnit.MILLISECONDS))
                .build();
        DropListener drops = new DropListener();
        this.commandTimeout = builder.commandTimeout;
        try {
            this.connections = RedisConnections.open(builder.uri, resources, builder.commandTimeout, drops);
        } catch (RuntimeException e) {
            resources.shutdown(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        this.keys = new RoomKeys(builder.prefix);
        this.scripts = new RoomScripts(keys, builder.streamLength, builder.streamBytes, builder.roomRetention,
                connections.cluster());
        // A blocking read must end well before the command timeout, or it would fail as timed out.
        Duration block = builder.block.compareTo(builder.commandTimeout.dividedBy(2)) < 0 ? builder.block
                : builder.commandTimeout.dividedBy(2);
        try {
            this.writer = connections.writer();
            this.roster = new RedisRoster(writer, keys, UUID.randomUUID().toString(), builder.lease, scripts);
            this.sanctions = new RedisSanctions(writer, keys);
            this.epochs = new EpochHandover(writer, keys, scripts, roster, builder.lease, topics, subscribing,
                    builder.onceWindow);
            this.streamReader = connections.reader(keys, topics, epochs, block, builder.commandTimeout, builder.lease,
                    signals::availability);
            this.appender = new StreamAppender(writer, keys, scripts, topics, signals::placed,
                    signals::wantsPlaced, builder.onceWindow, epochs::uncheckedRoom, this::olderData);
            roster.placeThrough(appender::presence);
            this.subscriptions = new Subscriptions(writer, keys, builder.lease, builder.commandTimeout, topics, subscribing,
                    epochs, streamReader, scripts);
        } catch (RuntimeException e) {
            connections.client.shutdown(Duration.ZERO, Duration.ZERO);
            resources.shutdown(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        roster.register();
        this.leases = new LeaseKeeper(roster, builder.lease);
        // Every dropped connection makes the reader check the epochs (on a cluster, of the rooms of the
        // master it was to), also where it reads no room and Redis restarted between two of its reads.
        drops.tell(connections, epochs);
        connections.onMovedSlots(epochs::movedSlots);
        streamReader.start();
        log.info("Redis broker on {}{} (prefix {})", describe(builder.uri), connections.cluster() ? ", a Redis Cluster" : "",
                builder.prefix);
    }

    /**
     * Redis holds older data of this room than this node read (an append was refused by the fence): the
     * room is checked before it takes lines again — on a cluster as a slot that moved, elsewhere as after
     * a dropped connection — and the reader woken to do it.
     */
    private void olderData(String room) {
        if (connections.cluster()) {
            epochs.movedSlots(List.of(SlotHash.getSlot(keys.events(room))));
        } else {
            epochs.dropped();
        }
        streamReader.reading(room);
    }

    /**
     * A broker on the Redis at this URI, with the defaults.
     *
     * @param uri any URI Lettuce takes: {@code redis://host:port}, {@code rediss://} for TLS, with a
     *     password ({@code redis://:secret@host}), {@code redis-sentinel://}; for a Redis Cluster, any
     *     of its nodes, or several separated by commas ({@code redis://10.0.0.1:7000,redis://10.0.0.2:7000}):
     *     the broker asks the first that answers whether it is a cluster node, and then reads the
     *     cluster's topology from it
     * @return the connected broker
     * @throws RedisException if Redis cannot be reached
     */
    public static RedisBroker connect(String uri) {
        return builder(uri).build();
    }

    /**
     * A builder for a broker on the Redis at this URI.
     *
     * @param uri any URI Lettuce takes
     * @return the builder
     */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /**
     * Where a URI points, without its credentials: for logs and banners.
     *
     * @param uri a Redis URI
     * @return e.g. {@code redis://127.0.0.1:6379/0}
     */
    public static String describe(String uri) {
        return String.join(",", RedisConnections.seeds(uri).stream().map(RedisBroker::redacted).toList());
    }

    /** Where the broker connects, without credentials, for logs. */
    static String redacted(RedisURI uri) {
        if (uri.getSentinelMasterId() != null) {
            return "redis-sentinel master " + uri.getSentinelMasterId() + " (" + uri.getSentinels().size() + " sentinels)";
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    /** The newest public entries of the room's stream: what a room's handle shows where no member of this node is. */
    @Override
    public List<StoredEvent> recent(String room, int max) {
        return subscriptions.recent(Objects.requireNonNull(room, "room"), max);
    }

    /** Bans and mutes in Redis, expiring with them: a ban imposed on one node refuses handshakes on all. */
    @Override
    public Optional<Sanctions> sanctions() {
        return Optional.of(sanctions);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the backlog from the room's stream; while the nodes hand over an epoch Redis lost, waits
     * for that at most the command timeout.
     *
     * @throws BrokerUnavailableException if Redis does not answer, or the handover takes longer
     */
    @Override
    public Registration subscribe(String room, int backlog, Listener listener) {
        return subscriptions.subscribe(room, backlog, listener);
    }

    /**
     * Appends the event to the room's stream. The outcome completes once this node has read the event
     * back from the stream (at once where this node reads no such room): from then on every node has it
     * or will get it, also through a handover. It fails if Redis is unreachable (at once, while the
     * connection is down: commands are not queued) or does not answer within the command timeout; and
     * fails as {@linkplain BrokerUnavailableException#isUncertain uncertain} when the answer was lost, or
     * the connection broke after Redis took the event and before this node read it back.
     */
    @Override
    public CompletionStage<Void> publish(String room, RoomEvent event) {
        return appender.append(Objects.requireNonNull(room, "room"), Objects.requireNonNull(event, "event"));
    }

    /**
     * Appends the event unless the key was appended in the room within the window
     * ({@link Builder#onceWindow}, default 10 minutes): the script that appends checks and keeps the
     * key in Redis in one step, so of two nodes publishing one key, one appends. The outcome completes
     * as {@link #publish}'s, with the place. After Redis restarted empty the nodes keep, through the
     * handover, the keys of the events they had read (docs/SCALING.md).
     */
    @Override
    public CompletionStage<Placement> publishOnce(String room, RoomEvent event, String key) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(event, "event");
        return appender.appendOnce(room, event, Broker.requireOnceKey(key));
    }

    /**
     * Tells of each event this node appended, once Redis answered the append with its place (so an
     * append whose answer was lost is not told), on Lettuce's thread, in the order appended; and of
     * each leave this node announced for a dead node's member.
     */
    @Override
    public Registration onPlaced(PlacedListener listener) {
        return signals.onPlaced(listener);
    }

    /** Called with false when the reader loses Redis, and with true once it reads again. */
    @Override
    public Registration onAvailability(Consumer<Boolean> listener) {
        return signals.onAvailability(listener);
    }

    /**
     * For tests: stops as a killed process would, without a word to Redis: no more renewals, no
     * unregistering, the connections dropped.
     */
    void crash() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leases.stop();
        streamReader.kill();
        connections.client.shutdown(Duration.ZERO, Duration.ZERO);
        resources.shutdown(0, 0, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether both of the broker's connections to Redis are up: for health checks. While they are not,
     * lines are refused to their senders and Lettuce reconnects with backoff.
     *
     * @return true while connected
     */
    public boolean isConnected() {
        return !closed.get() && connections.isOpen();
    }

    /**
     * The room's epoch: the one this node reads it in, or, where it reads no such room, the one Redis
     * holds (empty where Redis holds none, or does not answer). A room's epoch changes when Redis lost
     * its events: restarted empty, came back with older data than the nodes read (an older snapshot, a
     * replica promoted without the last events), or the room's keys expired after its last member left
     * ({@link Builder#roomRetention}).
     */
    @Override
    public String epoch(String room) {
        RoomTopic topic = topics.get(Objects.requireNonNull(room, "room"));
        if (topic != null) {
            // Also while its backlog is delivered: the backlog script set the epoch first. Never a
            // round trip on a delivery's path.
            return topic.epoch;
        }
        try {
            return Objects.requireNonNullElse(writer.sync().hget(keys.roomEpoch(room), "n"), "");
        } catch (RedisException e) {
            return "";
        }
    }

    /** Nicknames and presence across the nodes, with leases that free a dead node's members. */
    @Override
    public Optional<Roster> roster() {
        return Optional.of(roster);
    }

    /** The marker of Redis' data as a whole (not of a room): for tests of the handover. */
    String storeEpoch() {
        return epochs.epoch();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leases.stop();
        roster.unregister();
        streamReader.stop();
        topics.values().forEach(RoomTopic::unconfirm);
        topics.clear();
        connections.close();
        connections.client.shutdown();
        resources.shutdown();
    }

    /** Settings of a {@link RedisBroker}. Not thread-safe. */
    public static final class Builder extends BrokerSettings {

        private Builder(String uri) {
            super(uri);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Connects.
         *
         * @return the broker
         * @throws RedisException if Redis cannot be reached
         */
        public RedisBroker build() {
            return new RedisBroker(this);
        }
    }
}
