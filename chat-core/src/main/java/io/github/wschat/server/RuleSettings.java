package io.github.wschat.server;

import io.github.wschat.broker.Broker;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.protocol.PlainTextFormat;
import io.github.wschat.protocol.WireFormat;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The part of {@link ChatServer.Builder} that sets the room's rules: which origins and how many
 * connections may come in, the rate of lines, how many rooms, history, join notices, wire formats and
 * who may join. Its methods are the builder's (they return it); the builder itself keeps where and how
 * the server listens. Not thread-safe.
 */
abstract class RuleSettings extends ProgramSettings {

    private RoomPaths paths = RoomPaths.DEFAULT;
    private Set<String> allowedOrigins = Set.of(HandshakePolicy.ANY_ORIGIN);
    private int maxConnections = 10_000;
    private int maxConnectionsPerAddress = 100;
    private int maxConnectionsPerIdentity = io.github.wschat.presence.ConnectionQuota.DEFAULT;
    private double ratePerSecond = 20;
    private int rateBurst = 40;
    private int maxRooms = 1_000;
    private int historySize = 50;
    private long historyBytes = 256 * 1024;
    private long historyBytesTotal = 64L * 1024 * 1024;
    private boolean announceJoins = true;
    private java.time.Duration leaveGrace = java.time.Duration.ZERO;
    private io.github.wschat.history.HistoryStore historyStore;
    private java.time.Duration historyRetention = java.time.Duration.ZERO;
    private final java.util.Map<String, io.github.wschat.app.EventSink> eventSinks = new java.util.LinkedHashMap<>();
    private List<WireFormat> wireFormats = List.of(PlainTextFormat.INSTANCE, JsonFormat.INSTANCE);
    private HandshakeAuthenticator authenticator = HandshakeAuthenticator.ANYONE;

    RuleSettings() {
    }

    /**
     * Where the rooms are: {@code PATH} (and {@code /}) is the default room, {@code PATH/NAME} room
     * NAME. A mounted transport is mounted at the same path (the Jakarta transport's
     * {@code JakartaTransport.at(PATH, PATH + "/*")}).
     *
     * @param path {@code /} and one or more segments of {@code A-Z a-z 0-9 . _ -} joined by {@code /};
     *     default {@code /chat}
     * @return this builder
     * @throws IllegalArgumentException if the path breaks that rule
     */
    public ChatServer.Builder path(String path) {
        this.paths = new RoomPaths(Objects.requireNonNull(path, "path"));
        return self();
    }

    /**
     * Which browser origins may connect, e.g. {@code https://chat.example.com}; a handshake with
     * another {@code Origin} header is refused with 403 before any connection exists, which stops
     * cross-site WebSocket hijacking. Handshakes without an {@code Origin} (non-browser clients)
     * are not affected. {@value ChatServer.Builder#SAME_ORIGIN} allows the origin the request was
     * sent to (its {@code Host} header): pages served by the same server, on whatever host and port
     * it is reached. Default: {@code *}, any origin — unsafe for a server that browsers use.
     *
     * @param origins scheme://host[:port] values, {@value ChatServer.Builder#SAME_ORIGIN}, or
     *     {@code *} for any
     * @return this builder
     */
    public ChatServer.Builder allowedOrigins(Collection<String> origins) {
        Set<String> copy = Set.copyOf(origins);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no allowed origin: give at least one, or *");
        }
        this.allowedOrigins = copy;
        return self();
    }

    /**
     * @param max how many connections may be open at once; over it a handshake is refused with
     *     503. Default 10,000.
     * @return this builder
     */
    public ChatServer.Builder maxConnections(int max) {
        this.maxConnections = requirePositive(max, "maxConnections");
        return self();
    }

    /**
     * @param max how many connections one remote address may have open at once; over it a
     *     handshake is refused with 429. Default 100.
     * @return this builder
     */
    public ChatServer.Builder maxConnectionsPerAddress(int max) {
        this.maxConnectionsPerAddress = requirePositive(max, "maxConnectionsPerAddress");
        return self();
    }

    /**
     * How many connections one identity (a person the authenticator named: tabs, phones) may have open
     * at once on this server, over every room; over it a handshake is refused with 429, so that one
     * stolen token cannot open thousands of sockets. Anonymous members are one connection each, bounded
     * by {@link #maxConnectionsPerAddress}. Each node of a cluster counts its own.
     *
     * @param max the bound; default 10
     * @return this builder
     */
    public ChatServer.Builder maxConnectionsPerIdentity(int max) {
        this.maxConnectionsPerIdentity = requirePositive(max, "maxConnectionsPerIdentity");
        return self();
    }

    /**
     * Where the rooms' public events are kept beyond memory and the broker: every line, for paging
     * back ({@code {"type":"history",…}}, {@code /history}, {@link io.github.wschat.app.RoomHandle#history}),
     * resuming after a long absence, and forgetting a person ({@link ChatServer#forget}). The server
     * writes to it in batches on a thread of its own; a store that is slow or down delays only itself
     * ({@link ChatServer#historyLag()}). The server does not close it. Default: none (history is what
     * memory and the broker hold).
     *
     * @param store the store, e.g. {@code JdbcHistoryStore} or {@link io.github.wschat.history.InMemoryHistoryStore}
     * @return this builder
     */
    public ChatServer.Builder historyStore(io.github.wschat.history.HistoryStore store) {
        this.historyStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * Adds a sink for the public events this node delivers, in batches, on a thread of its own (see
     * {@link io.github.wschat.app.EventSink}): a webhook ({@code io.github.wschat.api.Webhooks}), a
     * queue, an index. Its lag, the events it took and those dropped for it are the meters {@code
     * wschat.sink.lag}, {@code wschat.sink.written} and {@code wschat.sink.dropped}, tagged with its name.
     *
     * @param name names it in logs and meters, e.g. {@code webhook}
     * @param sink the sink
     * @return this builder
     * @throws IllegalArgumentException if another sink has that name
     */
    public ChatServer.Builder eventSink(String name, io.github.wschat.app.EventSink sink) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sink, "sink");
        if (eventSinks.putIfAbsent(name, sink) != null) {
            throw new IllegalArgumentException("two event sinks named " + name);
        }
        return self();
    }

    /**
     * How long the history store keeps events: older ones are deleted, about once a minute. Default
     * zero: kept until forgotten or deleted by the store's own means.
     *
     * @param retention the retention, zero or positive
     * @return this builder
     */
    public ChatServer.Builder historyRetention(java.time.Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("historyRetention must be zero or positive: " + retention);
        }
        this.historyRetention = retention;
        return self();
    }

    /**
     * How long a member whose last device went stays in the room, away, for a device to come back — a
     * page reload, a train tunnel — before its leave is announced. A device that comes back within it
     * (on any node) resumes, with {@code ?since=}, and no leave and no join are announced; meanwhile the
     * member is listed, with 0 devices on the node it went from ({@link io.github.wschat.app.ChatMember#away()}),
     * keeps its nickname, and gets nothing. Zero, the default, announces the seed's
     * {@code " .... nick has left."} at once.
     *
     * @param grace the grace, zero or positive
     * @return this builder
     */
    public ChatServer.Builder leaveGrace(java.time.Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("leaveGrace must be zero or positive: " + grace);
        }
        this.leaveGrace = grace;
        return self();
    }

    /**
     * The message rate each connection may keep up: a token bucket refilled at
     * {@code perSecond} lines a second holding up to {@code burst}. A line over it is not sent
     * and its sender alone gets {@code " .... too fast: that line was not sent; wait a moment."};
     * a sender that keeps at it (refusals outpacing the rate by {@code 20 × perSecond}, e.g. 5×
     * the rate for about 7 s) is closed with 1008. Default 20 a second, burst 40.
     *
     * @param perSecond lines a second, positive
     * @param burst lines at once, positive
     * @return this builder
     */
    public ChatServer.Builder rateLimit(double perSecond, int burst) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be positive and finite: " + perSecond);
        }
        this.rateBurst = requirePositive(burst, "burst");
        this.ratePerSecond = perSecond;
        return self();
    }

    /**
     * @param max how many rooms may exist at once; a handshake that would create one more is
     *     refused with 503 (joining an existing room still works). Default 1,000.
     * @return this builder
     */
    public ChatServer.Builder maxRooms(int max) {
        this.maxRooms = requirePositive(max, "maxRooms");
        return self();
    }

    /**
     * @param lines how many of a room's recent public lines (messages, actions, joins, leaves,
     *     renames; never private messages) a joiner gets before live lines; 0 turns history off.
     *     Default 50.
     * @return this builder
     */
    public ChatServer.Builder historySize(int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("historySize must be 0 or more: " + lines);
        }
        this.historySize = lines;
        return self();
    }

    /**
     * @param perRoom at most how many bytes of text (UTF-8) a room's history keeps in this node's
     *     memory, besides {@link #historySize}: the oldest lines go first, and a line longer than this
     *     is not kept. Default 256 KiB: 50 lines of up to 5 KiB, or 4 of the 64 KiB the default
     *     message limit allows
     * @param total at most how many bytes the histories of all rooms on this node keep together: where a
     *     line passes it, the room it came to lets go of its own oldest lines until the rooms are within
     *     it again (down to none); other rooms keep theirs. Default 64 MiB: 1,000 rooms of 64 KiB
     * @return this builder
     */
    public ChatServer.Builder historyBytes(long perRoom, long total) {
        if (perRoom < 1 || total < 1) {
            throw new IllegalArgumentException("history budgets must be positive: " + perRoom + ", " + total);
        }
        this.historyBytes = perRoom;
        this.historyBytesTotal = total;
        return self();
    }

    /**
     * @param announce whether a join is told to the room ({@code " .... nick has joined."} in
     *     plain text). Default true; with false and {@link #historySize historySize(0)} a plain
     *     client sees exactly the seed's lines.
     * @return this builder
     */
    public ChatServer.Builder announceJoins(boolean announce) {
        this.announceJoins = announce;
        return self();
    }

    /**
     * @param formats the wire formats clients may choose by subprotocol; exactly one must have
     *     the empty subprotocol (the format of clients that ask for none). Default
     *     {@link PlainTextFormat} and {@link JsonFormat}.
     * @return this builder
     */
    public ChatServer.Builder wireFormats(Collection<WireFormat> formats) {
        List<WireFormat> copy = List.copyOf(formats);
        if (copy.stream().filter(f -> f.subprotocol().isEmpty()).count() != 1) {
            throw new IllegalArgumentException("exactly one wire format must have the empty subprotocol");
        }
        if (copy.stream().map(WireFormat::subprotocol).distinct().count() != copy.size()) {
            throw new IllegalArgumentException("two wire formats share a subprotocol");
        }
        this.wireFormats = copy;
        return self();
    }

    /**
     * @param authenticator decides who may join, from the handshake, and may fix their
     *     nickname; runs after the path, Origin and connection limits passed. Default:
     *     {@link HandshakeAuthenticator#ANYONE}.
     * @return this builder
     */
    public ChatServer.Builder authenticator(HandshakeAuthenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        return self();
    }

    /** The chat's settings as given so far, with the broker and registry the builder chose. */
    ChatSettings chatSettings(Broker broker, MeterRegistry meterRegistry) {
        return new ChatSettings(paths, allowedOrigins, maxConnections, maxConnectionsPerAddress,
                maxConnectionsPerIdentity, ratePerSecond,
                rateBurst, maxRooms, historySize, historyBytes, historyBytesTotal, announceJoins, leaveGrace, wireFormats,
                authenticator, hooks(), operatorRole(), broker, meterRegistry, historyStore, historyRetention,
                java.util.Map.copyOf(eventSinks));
    }

    private static int requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
