package io.github.wschat.broker.redis;

import io.github.wschat.Registration;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.Roster;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * counter, and {@code P:{R}:events}, its stream, trimmed to about {@link Builder#streamLength} entries.
 * The braces make them one hash slot, so that a Redis Cluster holds a room's keys together.
 *
 * <p>Appending is one script (INCR, then XADD with the number as the entry's id, and the server's
 * time), sent on one connection in the order {@link #publish} is called, so that the events one
 * thread publishes keep their order; {@code publish} does not wait for Redis. One reader thread per
 * broker reads every subscribed room's stream with a blocking XREAD and calls the listeners, room by
 * room in stream order.
 *
 * <p>When Redis restarts empty (a new {@linkplain #epoch epoch}), the nodes hand the lost epoch over
 * to each other through the new Redis before they read on, so that an event only some of them had
 * read as Redis died reaches all of them (docs/SCALING.md). Its keys are {@code P:handover:E:{R}}
 * and {@code P:handover:E:known} / {@code :reported}, kept ten minutes.
 *
 * <p>Thread-safe. Close it to stop the reader and the connections.
 */
public final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    /** INCR the room's counter; XADD the event with id {@code seq-0} and the server's time in ms. */
    private static final String APPEND = String.join("\n",
            "local seq = redis.call('INCR', KEYS[1])",
            "local now = redis.call('TIME')",
            "local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)",
            "redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 't', ms, 'k', ARGV[2], 'a', ARGV[3], 'b', ARGV[4], 'c', ARGV[5])",
            "return seq");

    private final ClientResources resources;
    private final RedisClient client;
    private final Duration lease;
    private final Duration commandTimeout;
    private final StatefulRedisConnection<String, String> writer;
    private final StatefulRedisConnection<String, String> reader;
    private final String prefix;
    private final String streamLength;
    private final Duration block;
    private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held by subscriptions while they read a backlog, and while an epoch is handed over. */
    private final ReentrantLock subscribing = new ReentrantLock();
    /** How many times a connection to Redis dropped; the reader checks the epoch after each. */
    private final AtomicLong drops = new AtomicLong();
    /** How many drops the reader has handled (checked the epoch after). */
    private volatile long handledDrops;
    /** The nodes that were live when a connection last dropped. */
    private volatile Set<String> liveAtDrop = Set.of();
    private final Thread readerThread;
    /** How long the keys of a handover stay in Redis. */
    private static final Duration HANDOVER_KEPT = Duration.ofMinutes(10);
    /** At most how many of the newest events each room keeps for a handover. */
    private static final int RECENT_MAX = 256;
    private final long readerId;
    /** The marker of the Redis data this broker reads; another value means Redis lost its data. */
    private volatile String epoch;
    private final RedisRoster roster;
    private final List<Consumer<Boolean>> availabilityListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final ScheduledExecutorService leases;

    private RedisBroker(Builder builder) {
        RedisURI uri = RedisURI.create(builder.uri);
        // Reconnect within a fraction of a lease, so that after Redis restarts every live node hands
        // over in time (Lettuce's default backoff grows to 30 s).
        Duration reconnectCap = Duration.ofMillis(Math.max(50, Math.min(1000, builder.lease.toMillis() / 4)));
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), reconnectCap, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        this.lease = builder.lease;
        this.commandTimeout = builder.commandTimeout;
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(builder.commandTimeout))
                .build());
        this.prefix = builder.prefix;
        this.streamLength = Long.toString(builder.streamLength);
        // A blocking read must end well before the command timeout, or it would fail as timed out.
        this.block = builder.block.compareTo(builder.commandTimeout.dividedBy(2)) < 0 ? builder.block
                : builder.commandTimeout.dividedBy(2);
        try {
            this.writer = client.connect();
            this.reader = client.connect();
            this.readerId = reader.sync().clientId();
            this.epoch = currentEpoch();
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ZERO);
            resources.shutdown(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        String nodeId = UUID.randomUUID().toString();
        this.roster = new RedisRoster(writer, this, prefix, nodeId, builder.lease, this.streamLength);
        roster.register();
        this.leases = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wschat-redis-lease");
            thread.setDaemon(true);
            return thread;
        });
        long renew = Math.max(1, builder.lease.toMillis() / 3);
        leases.scheduleWithFixedDelay(() -> {
            try {
                roster.renewAndReap();
            } catch (RedisException | BrokerUnavailableException e) {
                log.debug("Could not renew the leases: {}", e.toString());
            } catch (RuntimeException e) {
                log.warn("Renewing the leases failed", e);
            }
        }, renew, renew, TimeUnit.MILLISECONDS);
        // Every dropped connection makes the reader check the epoch, also where it reads no room and
        // Redis restarted between two of its reads without failing one.
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                liveAtDrop = roster.liveNodes(); // before anyone renews in a Redis that restarted empty
                drops.incrementAndGet();
            }
        });
        this.readerThread = new Thread(this::readLoop, "wschat-redis-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        log.info("Redis broker on {} (prefix {})", redacted(uri), prefix);
    }

    /**
     * A broker on the Redis at this URI, with the defaults.
     *
     * @param uri any URI Lettuce takes: {@code redis://host:port}, {@code rediss://} for TLS, with a
     *     password ({@code redis://:secret@host}), {@code redis-sentinel://}
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
        return redacted(RedisURI.create(uri));
    }

    /** Where the broker connects, without credentials, for logs. */
    static String redacted(RedisURI uri) {
        if (uri.getSentinelMasterId() != null) {
            return "redis-sentinel master " + uri.getSentinelMasterId() + " (" + uri.getSentinels().size() + " sentinels)";
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    private String epochKey() {
        return prefix + ":epoch";
    }

    /** The epoch marker in Redis, made now if Redis has none (first start, or restarted empty). */
    private String currentEpoch() {
        writer.sync().set(epochKey(), String.format("%08x", ThreadLocalRandom.current().nextInt()), SetArgs.Builder.nx());
        return writer.sync().get(epochKey());
    }

    /**
     * After an outage: if Redis lost its data, the nodes hand over the old epoch (see {@link #handOver}),
     * then every subscription reads its room from the start of the new stream.
     *
     * @param knew the nodes that were live when the outage began
     */
    private void recheckEpoch(Set<String> knew) {
        String now = currentEpoch();
        if (!now.equals(epoch)) {
            log.warn("Redis lost the rooms' data (restarted empty?); registering this node's nicknames and members "
                    + "again, handing over epoch {}, then reading every room from its new start", epoch);
            roster.register();
            subscribing.lock();
            try {
                handOver(epoch, knew);
                epoch = now;
                for (Topic topic : topics.values()) {
                    synchronized (topic) {
                        topic.unconfirm(); // what the handover did not bring back
                        topic.forget();
                        if (topic.lastId != null) {
                            topic.lastId = "0-0";
                        }
                    }
                }
            } finally {
                subscribing.unlock();
            }
        }
    }

    /**
     * Hands over an epoch Redis lost. Redis answers the readers of a stream one after another, and a
     * reader may be between two reads: an event Redis took in the instant it died may have reached
     * only some nodes, which delivered it. So each node writes, into the new Redis, the newest events it
     * read of each room (its {@link Topic#recent}) and that it has done so, waits until every node that
     * was live when the outage began has done so too (or a lease has passed: a node that died with
     * Redis), then delivers, still in the old epoch, the events others read beyond its own last — the
     * same events, in the same order, on every node. Only then does it read the new epoch.
     */
    private void handOver(String old, Set<String> knew) {
        String base = prefix + ":handover:" + old;
        RedisCommands<String, String> sync = writer.sync();
        List<Topic> read = new ArrayList<>();
        for (Topic topic : topics.values()) {
            Map<String, String> tail = new HashMap<>();
            synchronized (topic) {
                if (topic.lastId == null) {
                    continue;
                }
                read.add(topic);
                for (Read kept : topic.recent) {
                    StreamMessage<String, String> message = kept.message();
                    tail.put(Long.toString(sequenceOf(message.getId())), EventFields.pack(message.getBody()));
                }
            }
            if (!tail.isEmpty()) {
                String key = base + ":{" + topic.room + "}";
                sync.hset(key, tail);
                sync.pexpire(key, HANDOVER_KEPT.toMillis());
            }
        }
        Set<String> known = new HashSet<>(knew);
        known.add(roster.nodeId());
        sync.sadd(base + ":known", known.toArray(String[]::new));
        sync.pexpire(base + ":known", HANDOVER_KEPT.toMillis());
        sync.sadd(base + ":reported", roster.nodeId());
        sync.pexpire(base + ":reported", HANDOVER_KEPT.toMillis());
        long deadline = System.nanoTime() + lease.toNanos();
        Set<String> reported;
        while (true) {
            reported = sync.smembers(base + ":reported");
            Set<String> missing = new HashSet<>(sync.smembers(base + ":known"));
            missing.removeAll(reported);
            if (missing.isEmpty()) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                log.warn("Nodes {} did not hand over epoch {} within a lease: taken as dead with Redis", missing, old);
                break;
            }
            sleepQuietly(20);
        }
        int salvaged = 0;
        for (Topic topic : read) {
            Map<String, String> tails = sync.hgetall(base + ":{" + topic.room + "}");
            List<Long> sequences = tails.keySet().stream().map(Long::parseLong).sorted().toList();
            for (long sequence : sequences) {
                Map<String, String> body = EventFields.unpack(tails.get(Long.toString(sequence)));
                synchronized (topic) {
                    long last = sequenceOf(topic.lastId);
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
        }
        log.warn("Handed over epoch {} with {} nodes ({} of them known to this one); delivered {} events that only "
                + "other nodes had read before Redis lost them", old, reported.size(), known.size(), salvaged);
    }

    private static long sequenceOf(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    String seqKey(String room) {
        return prefix + ":{" + room + "}:seq";
    }

    String eventsKey(String room) {
        return prefix + ":{" + room + "}:events";
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
                return null;
            }
        });
    }

    /** Under {@link #subscribing}: not while an epoch is handed over, so that a backlog is of one epoch. */
    private void subscribeLocked(String room, int backlog, Listener listener) {
        requireNoDrop(room);
        while (true) {
            Topic topic = topics.get(room);
            if (topic == null) {
                Topic fresh = new Topic(room, eventsKey(room), lease);
                synchronized (fresh) {
                    if (topics.putIfAbsent(room, fresh) != null) {
                        continue; // another subscriber made it first: join that one
                    }
                    try {
                        String last = replay(fresh, "+", backlog, listener, true);
                        requireNoDrop(room);
                        fresh.lastId = last;
                    } catch (RuntimeException e) {
                        topics.remove(room, fresh); // not read: the next subscriber starts afresh
                        throw e;
                    }
                    fresh.listeners.add(listener);
                }
                wakeReader();
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
        if (drops.get() != handledDrops) {
            throw new BrokerUnavailableException("the connection to Redis dropped and is being checked; cannot "
                    + "subscribe to " + room + " yet", null);
        }
    }

    /**
     * Delivers to one listener up to {@code backlog} entries of the room's stream up to {@code until}
     * (inclusive; {@code +} for the newest), oldest first, and returns the id of the newest entry of
     * the stream seen, or {@code 0-0} for an empty stream. A new topic {@code remembers} them for a
     * handover.
     */
    private String replay(Topic topic, String until, int backlog, Listener listener, boolean remember) {
        List<StreamMessage<String, String>> newest = writer.sync().xrevrange(topic.key, Range.create("-", until),
                Limit.from(Math.max(1, backlog)));
        if (newest.isEmpty()) {
            return "0-0";
        }
        for (int i = newest.size() - 1; i >= 0; i--) {
            if (i < backlog) {
                topic.deliverTo(List.of(listener), newest.get(i));
            }
            if (remember) {
                topic.remember(newest.get(i));
            }
        }
        return newest.get(0).getId();
    }

    /** Ends the reader's current XREAD, so that it reads the new room's stream too. */
    private void wakeReader() {
        try {
            writer.async().clientUnblock(readerId, UnblockType.TIMEOUT);
        } catch (RedisException e) {
            log.debug("Could not wake the reader", e);
        }
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
        Objects.requireNonNull(room, "room");
        String[] fields = EventFields.of(Objects.requireNonNull(event, "event"));
        CompletionStage<Long> appended;
        try {
            appended = writer.async().<Long>eval(APPEND, ScriptOutputType.INTEGER,
                    new String[] {seqKey(room), eventsKey(room)}, streamLength, fields[0], fields[1], fields[2], fields[3]);
        } catch (RuntimeException e) { // RedisException, or the client already shut down
            return CompletableFuture.failedStage(e);
        }
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        appended.whenComplete((seq, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
                // Rejected while disconnected: never sent. Anything else (the connection broke with the
                // command in flight, or no answer in time): Redis may have taken it.
                boolean uncertain = !(cause instanceof RedisException && String.valueOf(cause.getMessage())
                        .startsWith("Currently not connected"));
                log.warn("Could not publish to room {}{}: {}", room, uncertain ? " (unconfirmed)" : "", cause.toString());
                outcome.completeExceptionally(new BrokerUnavailableException("Redis did not take the event", cause,
                        uncertain));
                return;
            }
            Topic topic = topics.get(room);
            if (topic == null || !topic.awaitReadBack(seq, outcome)) {
                outcome.complete(null);
            }
        });
        return outcome;
    }

    private void readLoop() {
        boolean recheck = false;
        while (!closed.get()) {
            long dropped = drops.get();
            if (recheck || dropped != handledDrops) {
                // Everything read is delivered: what this node has not read back of its own, it may never.
                topics.values().forEach(Topic::unconfirm);
                try {
                    recheckEpoch(liveAtDrop);
                    recheck = false;
                    handledDrops = dropped;
                    availability(true);
                } catch (RedisException e) {
                    availability(false);
                    sleepQuietly(100);
                    continue;
                }
            }
            List<Topic> reading = new ArrayList<>(topics.size());
            for (Topic topic : topics.values()) {
                if (topic.lastId != null) { // null until its subscription has read the backlog
                    reading.add(topic);
                }
            }
            @SuppressWarnings("unchecked")
            XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[reading.size()];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = XReadArgs.StreamOffset.from(reading.get(i).key, reading.get(i).lastId);
            }
            List<StreamMessage<String, String>> messages;
            try {
                if (reading.isEmpty()) {
                    // No room to read, but an outage must still be seen, to hand over with the others.
                    reader.sync().ping();
                    synchronized (this) {
                        wait(block.toMillis());
                    }
                    continue;
                }
                messages = reader.sync().xread(XReadArgs.Builder.block(block).count(1024), offsets);
            } catch (InterruptedException e) {
                return;
            } catch (RedisException e) {
                if (!closed.get()) {
                    log.warn("Reading the rooms' streams failed; retrying: {}", e.toString());
                    recheck = true;
                    availability(false);
                    sleepQuietly(100);
                }
                continue;
            }
            if (messages == null) {
                continue;
            }
            for (StreamMessage<String, String> message : messages) {
                Topic topic = topicOf(reading, message.getStream());
                if (topic != null) {
                    topic.deliver(message);
                }
            }
        }
    }

    /** Tells the listeners of a change, once per change. */
    private void availability(boolean now) {
        if (available.compareAndSet(!now, now)) {
            log.warn(now ? "Redis is reachable again: rooms take lines again" : "Redis is unreachable: rooms refuse lines");
            for (Consumer<Boolean> listener : availabilityListeners) {
                try {
                    listener.accept(now);
                } catch (RuntimeException e) {
                    log.warn("An availability listener threw", e);
                }
            }
        }
    }

    /** Called with false when the reader loses Redis, and with true once it reads again. */
    @Override
    public Registration onAvailability(Consumer<Boolean> listener) {
        Objects.requireNonNull(listener, "listener");
        availabilityListeners.add(listener);
        return () -> availabilityListeners.remove(listener);
    }

    private static Topic topicOf(List<Topic> reading, String key) {
        for (Topic topic : reading) {
            if (topic.key.equals(key)) {
                return topic;
            }
        }
        return null;
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * For tests: stops as a killed process would, without a word to Redis: no more renewals, no
     * unregistering, the connections dropped.
     */
    void crash() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leases.shutdownNow();
        readerThread.interrupt();
        client.shutdown(Duration.ZERO, Duration.ZERO);
        resources.shutdown(0, 0, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether both of the broker's connections to Redis are up: for health checks. While they are not,
     * lines are refused to their senders and Lettuce reconnects with backoff.
     *
     * @return true while connected
     */
    public boolean isConnected() {
        return !closed.get() && writer.isOpen() && reader.isOpen();
    }

    /** The marker of Redis' data: one epoch for every room, new when Redis restarted empty. */
    @Override
    public String epoch(String room) {
        return epoch;
    }

    /** Nicknames and presence across the nodes, with leases that free a dead node's members. */
    @Override
    public Optional<Roster> roster() {
        return Optional.of(roster);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leases.shutdownNow();
        roster.unregister();
        wakeReader();
        synchronized (this) {
            notifyAll();
        }
        try {
            readerThread.join(block.toMillis() * 2 + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        topics.values().forEach(Topic::unconfirm);
        topics.clear();
        writer.close();
        reader.close();
        client.shutdown();
        resources.shutdown();
    }

    /** Compares stream ids {@code ms-seq}. */
    static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }

    /**
     * A subscribed room: its listeners and the id of the last entry delivered. Deliveries and new
     * subscriptions take its lock, so that a backlog meets the live events without gap or duplicate.
     */
    private static final class Topic {
        final String room;
        final String key;
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        volatile String lastId;
        /**
         * The newest events read, for a handover: at most {@link #RECENT_MAX}, none read longer ago than
         * a lease (every live node has read them by then). Guarded by this.
         */
        final Deque<Read> recent = new ArrayDeque<>();
        private final long keepNanos;
        /**
         * This node's events Redis took that this node has not read back yet, oldest first. Guarded by
         * itself, not by the topic: the callbacks that add to it must not wait for a listener.
         */
        private final Deque<Pending> pending = new ArrayDeque<>();
        /** No longer read: nothing more will be read back. Guarded by {@link #pending}. */
        private boolean stopped;

        Topic(String room, String key, Duration lease) {
            this.room = room;
            this.key = key;
            this.keepNanos = lease.toNanos();
        }

        synchronized void deliver(StreamMessage<String, String> message) {
            if (compareIds(message.getId(), lastId) <= 0) {
                return; // delivered already (a backlog read after the reader's snapshot)
            }
            lastId = message.getId();
            remember(message);
            deliverTo(listeners, message);
            long sequence = sequenceOf(lastId);
            while (true) {
                Pending read;
                synchronized (pending) {
                    if (pending.isEmpty() || pending.peekFirst().sequence() > sequence) {
                        return;
                    }
                    read = pending.removeFirst();
                }
                read.outcome().complete(null);
            }
        }

        /**
         * Registers the outcome of this node's event number {@code sequence}, to complete once read
         * back; false if it is read already, or the room no longer read.
         */
        boolean awaitReadBack(long sequence, CompletableFuture<Void> outcome) {
            synchronized (pending) {
                String last = lastId; // set before deliver() looks at the pending events
                if (stopped || (last != null && sequenceOf(last) >= sequence)) {
                    return false;
                }
                pending.addLast(new Pending(sequence, outcome));
                return true;
            }
        }

        /** The connection broke: the events not read back may have reached the others or none. */
        void unconfirm() {
            for (Pending lost : drain(false)) {
                lost.outcome().completeExceptionally(new BrokerUnavailableException(
                        "Redis was lost before this node read the event back", null, true));
            }
        }

        /** Unsubscribed: the events not read back took their places; this node will not see them. */
        void stopReading() {
            drain(true).forEach(p -> p.outcome().complete(null));
        }

        private List<Pending> drain(boolean stop) {
            synchronized (pending) {
                stopped |= stop;
                List<Pending> all = new ArrayList<>(pending);
                pending.clear();
                return all;
            }
        }

        /** The epoch was handed over: nothing read before it can be asked for again. */
        synchronized void forget() {
            recent.clear();
        }

        synchronized void remember(StreamMessage<String, String> message) {
            long now = System.nanoTime();
            recent.addLast(new Read(message, now));
            while (recent.size() > RECENT_MAX || now - recent.peekFirst().at() > keepNanos) {
                recent.removeFirst();
            }
        }

        void deliverTo(List<Listener> to, StreamMessage<String, String> message) {
            Map<String, String> body = message.getBody();
            long sequence = Long.parseLong(message.getId().substring(0, message.getId().indexOf('-')));
            long time = Long.parseLong(body.getOrDefault("t", "0"));
            RoomEvent event;
            try {
                event = EventFields.event(body);
            } catch (IllegalArgumentException e) {
                log.warn("Skipped entry {} of room {}: {}", message.getId(), room, e.getMessage());
                return;
            }
            for (Listener listener : to) {
                try {
                    listener.onEvent(sequence, time, event);
                } catch (RuntimeException e) {
                    log.warn("A listener of room {} threw on event {}", room, sequence, e);
                }
            }
        }
    }

    /** An event a topic read, and when ({@link System#nanoTime}). */
    private record Read(StreamMessage<String, String> message, long at) {
    }

    /** One of this node's events, placed as {@code sequence}, and the outcome of its publish. */
    private record Pending(long sequence, CompletableFuture<Void> outcome) {
    }

    /** Settings of a {@link RedisBroker}. Not thread-safe. */
    public static final class Builder {
        private final String uri;
        private String prefix = "wschat";
        private long streamLength = 10_000;
        private Duration commandTimeout = Duration.ofSeconds(2);
        private Duration block = Duration.ofMillis(500);
        private Duration lease = Duration.ofSeconds(10);

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * @param prefix the first part of every key, so that several chats can share a Redis; default
         *     {@code wschat}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * @param entries about how many events each room's stream keeps (trimmed with {@code MAXLEN ~});
         *     default 10,000
         * @return this builder
         */
        public Builder streamLength(long entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("streamLength must be positive");
            }
            this.streamLength = entries;
            return this;
        }

        /**
         * @param timeout how long a command may take before it fails (the reader's blocking reads last at
         *     most half of it); default 2 s
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param lease how long a node's nicknames and members outlive it: a node renews its leases every
         *     third of this; when it stops (killed), another node announces its members as left and frees
         *     their nicknames within about two leases. Also how long the nodes wait for each other's
         *     handover after Redis restarted empty, and a quarter of it (at most 1 s) caps the reconnect
         *     backoff. Default 10 s
         * @return this builder
         */
        public Builder lease(Duration lease) {
            if (lease.toMillis() < 3) {
                throw new IllegalArgumentException("lease too short: " + lease);
            }
            this.lease = lease;
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
