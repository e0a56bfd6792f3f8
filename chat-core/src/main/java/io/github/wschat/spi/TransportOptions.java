package io.github.wschat.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how a transport server listens. Immutable; build with {@link #builder()}.
 *
 * @param host the interface to bind, e.g. {@code 0.0.0.0} (default) or {@code 127.0.0.1}
 * @param port the port to bind; 0 picks a free port (see {@link TransportServer#address()});
 *     default 12345, the seed's port
 * @param pingInterval how often the transport pings each peer; a peer that has sent nothing, not
 *     even a pong, for one and a half intervals is dead: its connection is closed and reported with
 *     {@link io.github.wschat.CloseCodes#ABNORMAL 1006}. Default 30 s; {@link Duration#ZERO} turns
 *     dead-peer detection off. Transports may round up to whole seconds.
 * @param handshakeTimeout how long a new socket may take to complete its opening handshake before
 *     the transport drops it without a response (slow-loris clients that connect and send nothing);
 *     default 5 s; {@link Duration#ZERO} waits for ever
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
 * @param tls the TLS context for {@code wss://}, or empty (the default) for plain {@code ws://}.
 *     Transports that cannot do TLS refuse to start with it.
 * @param compression {@code permessage-deflate} for clients that offer it; default
 *     {@link Compression#shared()}: each message compressed once for all who negotiated it. With it on, a compressed message is held to {@code maxMessageBytes}
 *     once inflated. Transports that cannot compress decline the extension.
 */
public record TransportOptions(
        String host, int port, Duration pingInterval, Duration handshakeTimeout, Duration closeGracePeriod,
        int acceptBacklog, int maxMessageBytes, long maxQueuedBytes, Optional<SSLContext> tls,
        Compression compression) {

    /**

     * Checks the parts; see {@link Builder} for the rules.

     *

     * @param host the interface to bind, e.g. {@code 0.0.0.0} (default) or {@code 127.0.0.1}

     * @param port the port to bind; 0 picks a free port (see {@link TransportServer#address()});

     *     default 12345, the seed's port

     * @param pingInterval how often the transport pings each peer; a peer that has sent nothing, not

     *     even a pong, for one and a half intervals is dead: its connection is closed and reported with

     *     {@link io.github.wschat.CloseCodes#ABNORMAL 1006}. Default 30 s; {@link Duration#ZERO} turns

     *     dead-peer detection off. Transports may round up to whole seconds.

     * @param handshakeTimeout how long a new socket may take to complete its opening handshake before

     *     the transport drops it without a response (slow-loris clients that connect and send nothing);

     *     default 5 s; {@link Duration#ZERO} waits for ever

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

     * @param tls the TLS context for {@code wss://}, or empty (the default) for plain {@code ws://}.

     *     Transports that cannot do TLS refuse to start with it.

     * @param compression permessage-deflate for clients that offer it
     */

    public TransportOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(closeGracePeriod, "closeGracePeriod");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(compression, "compression");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (pingInterval.isNegative()) {
            throw new IllegalArgumentException("pingInterval is negative");
        }
        if (handshakeTimeout.isNegative()) {
            throw new IllegalArgumentException("handshakeTimeout is negative");
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
     * The defaults: {@code 0.0.0.0:12345}, a ping every 30 s, 5 s handshake timeout, 2 s close grace
     * period, backlog 1024, messages up to 64 KiB, 1 MiB outbound budget, no TLS.
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
                .pingInterval(pingInterval)
                .handshakeTimeout(handshakeTimeout)
                .closeGracePeriod(closeGracePeriod)
                .acceptBacklog(acceptBacklog)
                .maxMessageBytes(maxMessageBytes)
                .maxQueuedBytes(maxQueuedBytes)
                .tls(tls.orElse(null))
                .compression(compression);
    }

    /** Builds {@link TransportOptions}. Not thread-safe; validation happens in {@link #build()}. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 12345;
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration closeGracePeriod = Duration.ofSeconds(2);
        private int acceptBacklog = 1024;
        private int maxMessageBytes = 64 * 1024;
        private long maxQueuedBytes = 1024 * 1024;
        private SSLContext tls;
        private Compression compression = Compression.shared();

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
         * @param interval how often to ping each peer; a peer silent for 1.5 intervals is dead; zero
         *     turns detection off
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /**
         * @param timeout how long a socket may take to complete its handshake; zero waits for ever
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * @param context the TLS context for {@code wss://}; {@code null} for plain {@code ws://}
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            this.tls = context;
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
         * Whether and how messages are compressed for clients that offer {@code permessage-deflate};
         * see {@link Compression}. A transport that cannot compress declines the extension whatever
         * this says.
         *
         * @param compression the setting; default {@link Compression#shared()}
         * @return this builder
         */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
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
            return new TransportOptions(host, port, pingInterval, handshakeTimeout, closeGracePeriod, acceptBacklog,
                    maxMessageBytes, maxQueuedBytes, Optional.ofNullable(tls), compression);
        }
    }
}
