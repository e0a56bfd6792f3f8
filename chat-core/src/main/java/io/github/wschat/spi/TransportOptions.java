package io.github.wschat.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a transport server listens. Immutable; build with {@link #builder()}.
 *
 * @param host the interface to bind, e.g. {@code 0.0.0.0} (default) or {@code 127.0.0.1}
 * @param port the port to bind; 0 picks a free port (see {@link TransportServer#address()});
 *     default 12345, the seed's port
 * @param connectionLostTimeout how long a peer may stay silent (no pong to the transport's pings)
 *     before its connection is closed with 1006 and reported; default 60 s; {@link Duration#ZERO}
 *     turns dead-peer detection off. Transports may round up to whole seconds.
 * @param closeGracePeriod how long {@link TransportServer#close()} waits for closing handshakes;
 *     default 2 s
 * @param acceptBacklog the listen backlog: how many connections may wait to be accepted; default
 *     1024, so that a thousand clients connecting at once are not left to retry their SYNs
 * @param maxMessageBytes the largest message a peer may send, in bytes of UTF-8; default 65536.
 *     A larger message closes the connection with {@link io.github.wschat.CloseCodes#MESSAGE_TOO_BIG
 *     1009}, and transports refuse it from the frame header where their library allows, so an
 *     oversized frame costs no memory.
 * @param maxQueuedBytes the outbound budget of a connection: bytes queued for the peer but not yet
 *     written; default 1 MiB. A peer that reads so slowly that its queue passes the budget has its
 *     connection dropped at once (the queue is discarded, so memory stays bounded) and reported
 *     closed with {@link io.github.wschat.CloseCodes#POLICY_VIOLATION 1008}. Transports that cannot
 *     tell how much they have queued document it.
 */
public record TransportOptions(
        String host, int port, Duration connectionLostTimeout, Duration closeGracePeriod, int acceptBacklog,
        int maxMessageBytes, long maxQueuedBytes) {

    /** Checks the parts; see {@link Builder} for the rules. */
    public TransportOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(connectionLostTimeout, "connectionLostTimeout");
        Objects.requireNonNull(closeGracePeriod, "closeGracePeriod");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (connectionLostTimeout.isNegative()) {
            throw new IllegalArgumentException("connectionLostTimeout is negative");
        }
        if (closeGracePeriod.isNegative()) {
            throw new IllegalArgumentException("closeGracePeriod is negative");
        }
        if (acceptBacklog < 1) {
            throw new IllegalArgumentException("acceptBacklog must be positive: " + acceptBacklog);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive: " + maxQueuedBytes);
        }
    }

    /**
     * The defaults: {@code 0.0.0.0:12345}, 60 s connection-lost timeout, 2 s close grace period,
     * backlog 1024, messages up to 64 KiB, 1 MiB outbound budget.
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a builder holding these options
     */
    public Builder toBuilder() {
        return new Builder()
                .host(host)
                .port(port)
                .connectionLostTimeout(connectionLostTimeout)
                .closeGracePeriod(closeGracePeriod)
                .acceptBacklog(acceptBacklog)
                .maxMessageBytes(maxMessageBytes)
                .maxQueuedBytes(maxQueuedBytes);
    }

    /** Builds {@link TransportOptions}. Not thread-safe; validation happens in {@link #build()}. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 12345;
        private Duration connectionLostTimeout = Duration.ofSeconds(60);
        private Duration closeGracePeriod = Duration.ofSeconds(2);
        private int acceptBacklog = 1024;
        private int maxMessageBytes = 64 * 1024;
        private long maxQueuedBytes = 1024 * 1024;

        private Builder() {
        }

        /**
         * @param host the interface to bind
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * @param port the port, 0–65535; 0 picks a free one
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param timeout silence after which a peer counts as dead; zero turns detection off
         * @return this builder
         */
        public Builder connectionLostTimeout(Duration timeout) {
            this.connectionLostTimeout = timeout;
            return this;
        }

        /**
         * @param grace how long closing waits for closing handshakes
         * @return this builder
         */
        public Builder closeGracePeriod(Duration grace) {
            this.closeGracePeriod = grace;
            return this;
        }

        /**
         * @param backlog the listen backlog, positive
         * @return this builder
         */
        public Builder acceptBacklog(int backlog) {
            this.acceptBacklog = backlog;
            return this;
        }

        /**
         * @param bytes the largest message a peer may send, in bytes of UTF-8, positive
         * @return this builder
         */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * @param bytes the outbound budget of a connection, positive
         * @return this builder
         */
        public Builder maxQueuedBytes(long bytes) {
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         * @throws NullPointerException if a value is null
         */
        public TransportOptions build() {
            return new TransportOptions(
                    host, port, connectionLostTimeout, closeGracePeriod, acceptBacklog, maxMessageBytes, maxQueuedBytes);
        }
    }
}
