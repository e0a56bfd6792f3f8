package io.github.wschat.broker.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of {@link RedisBroker.Builder}: key prefix, stream length, timeouts, lease and the
 * window of {@link RedisBroker#publishOnce}. Its methods are the builder's (they return it); it is a
 * class of its own so that the broker reads without them. Not thread-safe.
 */
abstract class BrokerSettings {

    final String uri;
    String prefix = "wschat";
    long streamLength = 10_000;
    long streamBytes = 1 << 20;
    Duration roomRetention = Duration.ofHours(1);
    Duration commandTimeout = Duration.ofSeconds(2);
    Duration block = Duration.ofMillis(500);
    Duration lease = Duration.ofSeconds(10);
    Duration onceWindow = Duration.ofMinutes(10);

    BrokerSettings(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** The builder these settings are part of. */
    abstract RedisBroker.Builder self();

    /**
     * @param prefix the first part of every key, so that several chats can share a Redis; default
     *     {@code wschat}
     * @return this builder
     */
    public RedisBroker.Builder prefix(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        return self();
    }

    /**
     * @param entries at most how many events each room's stream keeps (the oldest trimmed as each new
     *     one comes); default 10,000
     * @return this builder
     */
    public RedisBroker.Builder streamLength(long entries) {
        if (entries < 1) {
            throw new IllegalArgumentException("streamLength must be positive");
        }
        this.streamLength = entries;
        return self();
    }

    /**
     * @param bytes at most how many bytes of events (their fields' names and values) each room's stream
     *     keeps in Redis: the oldest are trimmed as each new one comes, the newest always kept. With
     *     {@link #streamLength} it bounds a live room; Redis as a whole holds at most this times the
     *     rooms alive within {@link #roomRetention} (docs/OPERATIONS.md). Default 1 MiB: 10,000 chat
     *     lines of 100 bytes, or 16 of the 64 KiB the default message limit allows
     * @return this builder
     */
    public RedisBroker.Builder streamBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("streamBytes must be positive");
        }
        this.streamBytes = bytes;
        return self();
    }

    /**
     * @param retention how long a room's keys (its counter, stream and epoch) stay in Redis after its
     *     last member, on any node, left; a join within it keeps them, and the room resumes where it
     *     was. After it, they expire, and a room of that name that comes back is a new epoch: a client
     *     resuming with a position of the old one is told it missed events. Default 1 hour: longer than
     *     a reconnect after a closed laptop, a lost network or a deploy, short enough that rooms made
     *     for a ticket, a match or by a client walking {@code /chat/junk1…N} do not pile up
     * @return this builder
     */
    public RedisBroker.Builder roomRetention(Duration retention) {
        if (Objects.requireNonNull(retention, "retention").toMillis() < 1) {
            throw new IllegalArgumentException("the retention must be at least 1 ms: " + retention);
        }
        this.roomRetention = retention;
        return self();
    }

    /**
     * @param timeout how long a command may take before it fails (the reader's blocking reads last at
     *     most half of it); default 2 s
     * @return this builder
     */
    public RedisBroker.Builder commandTimeout(Duration timeout) {
        this.commandTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * @param lease how long a node's nicknames and members outlive it: a node renews its leases every
     *     third of this; when it stops (killed), another node announces its members as left and frees
     *     their nicknames within about two leases. Also how long the nodes wait for each other's
     *     handover after Redis restarted empty, and a quarter of it (at most 1 s) caps the reconnect
     *     backoff. Default 10 s
     * @return this builder
     */
    public RedisBroker.Builder lease(Duration lease) {
        if (lease.toMillis() < 3) {
            throw new IllegalArgumentException("lease too short: " + lease);
        }
        this.lease = lease;
        return self();
    }

    /**
     * @param window how long a key of {@link RedisBroker#publishOnce} — a line's id — is kept in
     *     Redis, so that the line resent within it, to any node, is not placed again; default 10
     *     minutes
     * @return this builder
     */
    public RedisBroker.Builder onceWindow(Duration window) {
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("the window must be at least 1 ms: " + window);
        }
        this.onceWindow = window;
        return self();
    }
}
