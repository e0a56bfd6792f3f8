package io.github.wschat.server;

import io.github.wschat.app.RoomHandle;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.InProcessBroker;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.Compression;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.Transports;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * A running chat server: the Common Lisp Cookbook's chat room, on any transport.
 *
 * <p>Behaviour, exact to the character: each connection gets a nickname {@code user-N} (N random
 * below 100000, unique on this server); a text message M from nick reaches every member of the room,
 * the sender included, as {@code nick: M}; when a member leaves, every remaining member gets
 * {@code " .... nick has left."}. Every member of a room sees the room's lines in one order, and each
 * sender's lines in the order sent.
 *
 * <p>Rooms come from the handshake path: {@code /}, {@code /chat} and {@code /chat/} are the default
 * room ({@code lobby}); {@code /chat/NAME} is room NAME (1–64 of {@code A-Z a-z 0-9 . _ -}). A
 * handshake on any other path is refused with HTTP 404; one from a browser origin that is not
 * {@linkplain Builder#allowedOrigins allowed} with 403; one over the connection limits with 503
 * (server) or 429 (per address).
 *
 * <p>Input: a message with line breaks is sent as one line per non-empty part; control characters
 * other than tab are removed; an empty message is ignored. A message over the size limit (64 KiB
 * by default) closes the connection with 1009; binary frames close it with 1003. Lines over the
 * {@linkplain Builder#rateLimit rate limit} are refused with a notice to the sender; a sustained
 * flood closes the sender with 1008.
 *
 * <p>Lifecycle: {@link Builder#start()} binds and returns a running server; {@link #close()} stops
 * it (every client gets 1001). Thread-safe.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder().port(12345).start()) {
 *     ...
 * }
 * }</pre>
 */
public final class ChatServer implements AutoCloseable {

    private final ChatRuntime runtime;
    private volatile boolean closing;

    private ChatServer(ChatRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * A builder with the defaults: the one transport on the class path, {@code 0.0.0.0:12345}, an
     * in-process broker.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The address the server listens on; with port 0 requested, this has the real port.
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return runtime.transportServer.address();
    }

    /**
     * The {@linkplain Transport#name() name} of the transport the server runs on, e.g. {@code netty}.
     *
     * @return the transport's name
     */
    public String transportName() {
        return runtime.transportName;
    }

    /**
     * Whether the server accepts connections: true from {@link Builder#start()} until
     * {@link #close()} begins. For health checks.
     *
     * @return true while the server runs
     */
    public boolean isRunning() {
        return !closing;
    }

    /**
     * The number of members on this server, in all rooms.
     *
     * @return the member count
     */
    public int memberCount() {
        return runtime.nicknames.size();
    }

    /**
     * Forgets a person: erases the lines (messages and actions) whose author is this identity from the
     * history store, in every room, and from what this node's rooms hold in memory. Members who page
     * back no longer see them; lines already on members' screens stay there. A shared broker's copy of
     * recent events (Redis' streams) is not rewritten: it expires with the room's retention. Waits for
     * the store.
     *
     * @param identityId the identity's id, as the authenticator gave it
     * @return how many lines the store erased (0 without a store)
     * @throws io.github.wschat.history.HistoryStoreException if the store cannot erase them
     */
    public long forget(String identityId) {
        if (Objects.requireNonNull(identityId, "identityId").isEmpty()) {
            throw new IllegalArgumentException("an identity's id is not empty");
        }
        return runtime.history.forget(runtime.rooms, identityId);
    }

    /**
     * How far the history store is behind the rooms: the age of the oldest event not yet written there.
     * A store that is slow or unreachable delays only itself; this says by how much.
     *
     * @return the lag; zero without a store, or when it is up to date
     */
    public Duration historyLag() {
        return runtime.history.lag();
    }

    /**
     * Whether the history store took the last batch the server wrote (true without a store).
     *
     * @return whether the store is healthy
     */
    public boolean historyHealthy() {
        return runtime.history.healthy();
    }

    /**
     * The number of rooms that have members on this server.
     *
     * @return the room count
     */
    public int roomCount() {
        return runtime.rooms.count();
    }

    /**
     * The rooms that have members: on this server, and with a shared broker on any node.
     *
     * @return a snapshot of their names
     * @throws io.github.wschat.broker.BrokerUnavailableException if the shared roster cannot answer
     */
    public Set<String> rooms() {
        Set<String> here = runtime.rooms.names();
        return runtime.rooms.roster().map(roster -> {
            Set<String> all = new java.util.TreeSet<>(here);
            all.addAll(roster.rooms());
            return Set.copyOf(all);
        }).orElse(here);
    }

    /**
     * The application's handle on a room: its members and history, and lines, kicks, mutes and bans
     * placed in its order. See {@link RoomHandle}.
     *
     * @param name the room's name ({@code lobby} for {@code /} and {@code /chat})
     * @return the handle; the room need not have members yet
     * @throws IllegalArgumentException if the name breaks the room-name rule
     */
    public RoomHandle room(String name) {
        if (!RoomPaths.isRoomName(Objects.requireNonNull(name, "name"))) {
            throw new IllegalArgumentException("a room name is " + RoomPaths.RULE + ": " + name);
        }
        return new ServerRoomHandle(name, runtime.rooms, runtime.bots);
    }

    /**
     * Stops the server: every client is closed with 1001 (remaining members are told of each leave
     * as it happens), the transport's threads end and the port is released. A broker the server
     * created is closed too; one passed to the builder is not. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        runtime.close();
    }

    /** Configures and starts a {@link ChatServer}. Not thread-safe. */
    public static final class Builder extends RuleSettings {

        /** For {@link #allowedOrigins}: the origin the request was sent to, as its Host header names it. */
        public static final String SAME_ORIGIN = HandshakePolicy.SAME_ORIGIN;

        private Transport transport;
        private String transportName;
        private MeterRegistry meterRegistry;
        private TransportOptions.Builder options = TransportOptions.builder();
        private Broker broker;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param interval how often each client is pinged; a client that answers nothing for one
         *     and a half intervals is closed (1006) and announced as left. Default 30 s; zero turns
         *     pings off.
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            options.pingInterval(interval);
            return this;
        }

        /**
         * @param timeout how long a new socket may take to complete its opening handshake; one that
         *     connects and sends nothing (a slow-loris client) is dropped without a response after
         *     it. Default 5 s; zero waits for ever.
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            options.handshakeTimeout(timeout);
            return this;
        }

        /**
         * @param context the TLS context: the server then speaks {@code wss://}. Default none.
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            options.tls(Objects.requireNonNull(context, "context"));
            return this;
        }

        /**
         * Serves {@code wss://} with the key and certificate chain in a PKCS#12 file (what
         * {@code keytool -genkeypair -storetype PKCS12} or {@code openssl pkcs12 -export} write).
         *
         * @param pkcs12 the keystore file; its first key entry is used
         * @param password the keystore's password, also the key's
         * @return this builder
         * @throws IOException if the file cannot be read, the password is wrong, or it holds no key
         */
        public Builder tls(Path pkcs12, char[] password) throws IOException {
            return tls(TlsContexts.fromPkcs12(pkcs12, password));
        }

        /**
         * @param transport the transport to use; default: the one transport on the class path
         *     ({@link Transports#only()})
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            this.transportName = null;
            return this;
        }

        /**
         * Measures the chat with Micrometer: connections, handshakes, rooms, members, lines, deliveries,
         * bytes, refusals, closes by code and cause, and fan-out time, each tagged with the transport
         * (docs/OPERATIONS.md lists them). The meters are registered on {@link #start()}, in this
         * registry, which the caller owns. Without one (the default) nothing is measured.
         *
         * @param registry the registry to measure into
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Chooses a transport on the class path by name, e.g. {@code java-websocket} or
         * {@code netty}; needed when there are several. {@link #start()} fails, naming the
         * transports it found, if none has this name.
         *
         * @param name a {@link Transport#name()}
         * @return this builder
         */
        public Builder transport(String name) {
            this.transportName = Objects.requireNonNull(name, "name");
            this.transport = null;
            return this;
        }

        /**
         * @param options all transport options at once; replaces earlier {@link #host}/{@link #port}
         * @return this builder
         */
        public Builder transportOptions(TransportOptions options) {
            this.options = Objects.requireNonNull(options, "options").toBuilder();
            return this;
        }

        /**
         * @param host the interface to bind; default {@code 0.0.0.0}
         * @return this builder
         */
        public Builder host(String host) {
            options.host(host);
            return this;
        }

        /**
         * @param port the port to bind, 0 for any free port; default 12345
         * @return this builder
         */
        public Builder port(int port) {
            options.port(port);
            return this;
        }

        /**
         * @param bytes the largest message a client may send, in bytes of UTF-8; larger ones close
         *     the connection with 1009. Default 65536.
         * @return this builder
         */
        public Builder maxMessageBytes(int bytes) {
            options.maxMessageBytes(bytes);
            return this;
        }

        /**
         * @param bytes the outbound budget of each client: bytes queued for it but not yet written.
         *     A client that reads so slowly that it passes the budget is dropped (1008) and the room
         *     is told it left; the others are not slowed. Default 1 MiB.
         * @return this builder
         */
        public Builder maxQueuedBytes(long bytes) {
            options.maxQueuedBytes(bytes);
            return this;
        }

        /**
         * @param compression {@code permessage-deflate} for clients that offer it (browsers do):
         *     {@link Compression#shared()} compresses each line once for every member that agreed to
         *     it, {@link Compression#dedicated()} keeps a window per member, {@link Compression#off()}
         *     declines. Transports that cannot compress decline whatever this says. Default
         *     {@link Compression#shared()}.
         * @return this builder
         */
        public Builder compression(Compression compression) {
            options.compression(compression);
            return this;
        }

        /**
         * @param broker the broker that orders and distributes room events; default a new
         *     {@link InProcessBroker}. The server does not close a broker passed here.
         * @return this builder
         */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /**
         * Validates the settings, binds and starts the server.
         *
         * @return the running server
         * @throws IOException if the address cannot be bound
         * @throws IllegalStateException if a listener was added and the broker cannot tell which events it
         *     placed, or no transport was given and not exactly one is registered;
         *     the message names those found
         * @throws IllegalArgumentException if no registered transport has the name given
         */
        public ChatServer start() throws IOException {
            TransportOptions transportOptions = options.build();
            Transport chosen = transport != null ? transport
                    : transportName != null ? Transports.named(transportName) : Transports.only();
            ChatSettings settings = chatSettings(broker, meterRegistry);
            return new ChatServer(ChatRuntime.start(chosen, transportOptions, settings));
        }
    }
}
