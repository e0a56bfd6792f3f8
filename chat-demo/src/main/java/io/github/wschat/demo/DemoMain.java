package io.github.wschat.demo;

import io.github.wschat.auth.jwt.JwtAuthenticator;
import io.github.wschat.history.jdbc.JdbcHistoryStore;
import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Compression;
import io.github.wschat.transport.netty.NettyTransport;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.github.wschat.broker.redis.RedisBroker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.github.wschat.server.TlsContexts;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar chat-demo.jar}: the seed's chat server on port 12345 and its page on port 8080.
 * On Ctrl-C or SIGTERM every client is closed with 1001 and the process exits 0.
 */
@Command(name = "chat-demo", mixinStandardHelpOptions = true, version = "wschat demo 0.1.0",
        description = "Runs the wschat chat server and a tiny HTTP server for its page.")
public final class DemoMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DemoMain.class);

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Interface to bind both servers to (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host;

    @Option(names = "--ws-port", defaultValue = "12345", paramLabel = "PORT",
            description = "WebSocket port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int webSocketPort;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the chat page (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int httpPort;

    @Option(names = "--transport", defaultValue = "java-websocket", paramLabel = "NAME",
            description = "The WebSocket library under the chat: java-websocket, netty, or jetty (the chat mounted "
                    + "in an embedded Jetty 12 through the Jakarta WebSocket API) (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--batching",
            description = "With --transport jetty: let Jetty batch each member's messages, flushed once its queue "
                    + "is empty (fewer writes under load).")
    boolean batching;

    @Option(names = "--netty-io", paramLabel = "IO",
            description = "With --transport netty: auto (epoll where it loads, else NIO), epoll, io_uring or nio; "
                    + "each falls back to the next where it does not load, and the log says which runs "
                    + "(default: auto).")
    String nettyIo;

    @Option(names = "--flush-linger", paramLabel = "MICROS",
            description = "With --transport netty: how long an event loop that has just written to its members "
                    + "waits before writing again, so that lines arriving together leave in one write per member "
                    + "(fewer system calls under load, each line at most that late; an idle loop writes at once). "
                    + "0 turns it off (default: " + NettyTransport.DEFAULT_FLUSH_LINGER_MICROS + ").")
    Long flushLingerMicros;

    @Option(names = "--compression", defaultValue = "shared", paramLabel = "MODE",
            description = "permessage-deflate for browsers that offer it: shared (each line compressed once for "
                    + "the whole room), dedicated (a window per member: smaller, costs CPU per member) or off "
                    + "(default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--redis", paramLabel = "URI",
            description = "Make this a node of a cluster: rooms span every node on this Redis, e.g. redis://127.0.0.1:6379 "
                    + "(rediss:// for TLS, redis://:PASSWORD@host, redis-sentinel://; a Redis Cluster: any node, or "
                    + "several separated by commas). Without it the chat is in-process.")
    String redis;

    @Option(names = "--redis-lease", defaultValue = "10", paramLabel = "SECONDS",
            description = "With --redis: how long a node's members outlive it. A node that dies has its members "
                    + "announced as left, and their nicknames freed, within about two leases (default: ${DEFAULT-VALUE}).")
    int redisLease;

    @Option(names = "--redis-room-retention", defaultValue = "60", paramLabel = "MINUTES",
            description = "With --redis: how long a room's lines stay in Redis after its last member left; a room "
                    + "that comes back later starts a new epoch (default: ${DEFAULT-VALUE}).")
    int redisRoomRetention;

    @Option(names = "--api-key", paramLabel = "NAME=KEY",
            description = "Serve the server HTTP API at /api on the page's port (docs/API.md), for requests that carry "
                    + "this key (Authorization: Bearer KEY, or X-Api-Key); NAME is shown in the log for each write. "
                    + "Repeat for several keys, each at least 16 characters. Off by default.")
    java.util.Map<String, String> apiKeys = new java.util.LinkedHashMap<>();

    @Option(names = "--line-filter-url", paramLabel = "URL",
            description = "Ask URL about every line before it is placed (POST, signed with --hook-secret; the answer "
                    + "accepts, rewrites or refuses it: docs/API.md). A backend that fails or is late refuses the line.")
    java.net.URI lineFilterUrl;

    @Option(names = "--join-hook-url", paramLabel = "URL",
            description = "Ask URL who may enter which room (POST, signed with --hook-secret; the answer allows or "
                    + "refuses: the refused connection is closed with 4000 + status, 4403 for 403); see docs/API.md.")
    java.net.URI joinHookUrl;

    @Option(names = "--hook-secret", paramLabel = "SECRET",
            description = "With --line-filter-url or --join-hook-url: the secret the backend checks signatures with (16 characters or more).")
    String hookSecret;

    @Option(names = "--webhook-url", paramLabel = "URL",
            description = "POST the public events this node delivers to URL, in batches, signed as Standard Webhooks "
                    + "are (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 with --webhook-secret), "
                    + "retried until answered 2xx; at least once: deduplicate by each event's id (docs/API.md).")
    java.net.URI webhookUrl;

    @Option(names = "--webhook-secret", paramLabel = "SECRET",
            description = "With --webhook-url: the secret the backend checks signatures with (16 characters or more).")
    String webhookSecret;

    @Option(names = "--webhook-rooms", split = ",", paramLabel = "ROOM",
            description = "With --webhook-url: only these rooms' events (default: every room).")
    java.util.Set<String> webhookRooms;

    @Option(names = "--webhook-kinds", split = ",", paramLabel = "KIND",
            description = "With --webhook-url: only these kinds, e.g. message,notice (default: all public events).")
    java.util.Set<String> webhookKinds;

    @Option(names = "--metrics", defaultValue = "false",
            description = "Serve /metrics (Prometheus' text format) and /healthz on the page's port. Off by default: "
                    + "on a public interface they tell anyone how busy the server is.")
    boolean metrics;

    @Option(names = "--max-message-bytes", defaultValue = "65536", paramLabel = "BYTES",
            description = "Largest message a client may send, in bytes of UTF-8; larger ones close "
                    + "the connection with 1009 (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--allowed-origins", split = ",", paramLabel = "ORIGIN",
            description = "Comma-separated browser origins that may connect, e.g. http://chat.example:8080; "
                    + "* allows any. Others are refused with 403. Default: this demo's own page, reached "
                    + "as localhost, 127.0.0.1, [::1] or --host.")
    List<String> allowedOrigins;

    @Option(names = "--max-connections", defaultValue = "10000", paramLabel = "N",
            description = "Open connections allowed at once; more are refused with 503 (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", defaultValue = "100", paramLabel = "N",
            description = "Open connections allowed per remote address; more are refused with 429 "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--rate-per-second", defaultValue = "20", paramLabel = "LINES",
            description = "Lines a second each client may keep up; lines over it are refused with a "
                    + "notice, a sustained flood closes with 1008 (default: ${DEFAULT-VALUE}).")
    double ratePerSecond;

    @Option(names = "--rate-burst", defaultValue = "40", paramLabel = "LINES",
            description = "Lines a client may send at once before the rate applies (default: ${DEFAULT-VALUE}).")
    int rateBurst;

    @Option(names = "--max-outbound-bytes", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Bytes that may wait to be written to one client; a client that reads more "
                    + "slowly is dropped with 1008 (default: ${DEFAULT-VALUE}).")
    long maxOutboundBytes;

    @Option(names = "--ping-interval", defaultValue = "30", paramLabel = "SECONDS",
            description = "Seconds between pings to each client; a client silent for 1.5 intervals is "
                    + "closed and announced as left; 0 turns pings off (default: ${DEFAULT-VALUE}).")
    long pingIntervalSeconds;

    @Option(names = "--handshake-timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "Seconds a new socket may take to complete its handshake before it is dropped "
                    + "(default: ${DEFAULT-VALUE}; 0 waits for ever).")
    long handshakeTimeoutSeconds;

    @Option(names = "--max-rooms", defaultValue = "1000", paramLabel = "N",
            description = "Rooms that may exist at once; a handshake that would create one more is refused "
                    + "with 503 (default: ${DEFAULT-VALUE}).")
    int maxRooms;

    @Option(names = "--history", defaultValue = "50", paramLabel = "LINES",
            description = "Recent lines a joiner gets before live ones; 0 turns history off (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--announce-joins", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Tell the room when someone joins (default: ${DEFAULT-VALUE}); with --no-announce-joins "
                    + "and --history 0 a plain client sees exactly the seed's lines.")
    boolean announceJoins;

    @Option(names = "--leave-grace", defaultValue = "0", paramLabel = "SECONDS",
            description = "How long a member whose last tab or device went stays, away, for one to come back (a reload) "
                    + "before its leave is announced; 0 announces it at once (default: ${DEFAULT-VALUE}).")
    int leaveGraceSeconds;

    @Option(names = "--history-db", paramLabel = "JDBC-URL",
            description = "Keep every line in a database, for \"load older\" and across restarts: "
                    + "jdbc:h2:file:./wschat-history (embedded, nothing to run) or jdbc:postgresql://HOST:5432/DB. "
                    + "Default: none (history is the last --history lines in memory).")
    String historyDb;

    @Option(names = "--history-db-user", paramLabel = "USER", defaultValue = "",
            description = "The history database's user (default: none; H2 takes sa).")
    String historyDbUser;

    @Option(names = "--history-db-password", paramLabel = "PASSWORD", defaultValue = "",
            description = "The history database's password (default: none).")
    String historyDbPassword;

    @Option(names = "--history-retention", paramLabel = "DAYS", defaultValue = "0",
            description = "Delete lines older than this from the history database; 0 keeps them (default: ${DEFAULT-VALUE}).")
    int historyRetentionDays;

    @Option(names = "--auth-token", paramLabel = "TOKEN",
            description = "A shared secret: only clients whose URL carries ?token=TOKEN may join (others "
                    + "are refused with 401). Open the page as http://HOST:PORT/?token=TOKEN. Default: none.")
    String authToken;

    @Option(names = "--operator-token", paramLabel = "TOKEN",
            description = "Whoever opens the page as http://HOST:PORT/?token=TOKEN is an operator: may /kick NICK "
                    + "REASON, /mute NICK 10m, /unmute NICK and /ban NICK 1h in the room, and the page shows them "
                    + "those commands. Default: none.")
    String operatorToken;

    @Option(names = "--jwt-secret", paramLabel = "SECRET",
            description = "Members are who a JSON Web Token says, signed with HS256 and this shared secret (32 bytes "
                    + "or more) by your backend: the page as http://HOST:PORT/?token=JWT, a client with ?token=JWT or "
                    + "the subprotocol wschat.token.JWT. The identity is the token's sub, the nickname its name.")
    String jwtSecret;

    @Option(names = "--jwt-public-key", paramLabel = "FILE",
            description = "As --jwt-secret, for tokens signed with RS256 or ES256: the PEM file of the public key.")
    Path jwtPublicKey;

    @Option(names = "--jwt-jwks", paramLabel = "URL",
            description = "As --jwt-secret, for tokens signed by a key of this JSON Web Key Set (fetched, cached, "
                    + "fetched again for a key id it does not hold).")
    URI jwtJwks;

    @Option(names = "--jwt-issuer", paramLabel = "ISS",
            description = "With a --jwt-* key: the iss every token must have. Default: not checked.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "AUD",
            description = "With a --jwt-* key: a value every token's aud must hold. Default: not checked.")
    String jwtAudience;

    @Option(names = "--max-connections-per-user", defaultValue = "10", paramLabel = "N",
            description = "Connections (tabs, phones) one identified user may have open at once; more are refused "
                    + "with 429 (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerUser;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "A PKCS#12 keystore: the page is then served over https and the chat over wss.")
    Path tlsKeystore;

    @Option(names = "--tls-password", paramLabel = "PASSWORD", defaultValue = "",
            description = "The keystore's password (also the key's).")
    String tlsPassword;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the demo until Ctrl-C or SIGTERM.
     *
     * @param args the command line; {@code --help} lists the flags
     */
    public static void main(String[] args) {
        // The JDK's HttpServer leaves Nagle on: a small answer then waits for the client's delayed ACK
        // (40 ms on Linux) — every API request and page load would. The demo's one process decides.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        CommandLine command = new CommandLine(new DemoMain());
        // A port in use or a bad limit is a plain one-line error, not a stack trace.
        command.setExecutionExceptionHandler((error, cmd, parsed) -> {
            cmd.getErr().println("chat-demo: " + error.getMessage());
            return error instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(command.execute(args));
    }

    /** The JWT authenticator the --jwt-* flags describe, if one of its keys is given. */
    private Optional<JwtAuthenticator> jwtAuthenticator() throws IOException {
        int keys = (jwtSecret == null ? 0 : 1) + (jwtPublicKey == null ? 0 : 1) + (jwtJwks == null ? 0 : 1);
        if (keys == 0) {
            if (jwtIssuer != null || jwtAudience != null) {
                throw new IllegalArgumentException("--jwt-issuer and --jwt-audience need --jwt-secret, --jwt-public-key "
                        + "or --jwt-jwks");
            }
            return Optional.empty();
        }
        if (keys > 1) {
            throw new IllegalArgumentException("one of --jwt-secret, --jwt-public-key and --jwt-jwks");
        }
        JwtAuthenticator.Builder builder = JwtAuthenticator.builder();
        if (jwtSecret != null) {
            builder.hmacSecret(jwtSecret);
        } else if (jwtPublicKey != null) {
            builder.publicKeyPem(java.nio.file.Files.readString(jwtPublicKey));
        } else {
            builder.jwks(jwtJwks);
        }
        if (jwtIssuer != null) {
            builder.issuer(jwtIssuer);
        }
        if (jwtAudience != null) {
            builder.audience(jwtAudience);
        }
        return Optional.of(builder.build());
    }

    @Override
    public Integer call() throws Exception {
        if (pingIntervalSeconds < 0 || handshakeTimeoutSeconds < 0 || leaveGraceSeconds < 0) {
            throw new IllegalArgumentException("--ping-interval, --handshake-timeout and --leave-grace must be 0 or more");
        }
        ChatServer.Builder chat = ChatServer.builder();
        if (nettyIo != null || flushLingerMicros != null) {
            if (!transport.equals(NettyTransport.NAME)) {
                throw new IllegalArgumentException("--netty-io and --flush-linger are for --transport netty");
            }
            NettyTransport netty = nettyIo != null ? NettyTransport.using(NettyTransport.Io.parse(nettyIo))
                    : new NettyTransport();
            chat.transport(flushLingerMicros != null
                    ? netty.withFlushLinger(java.time.Duration.ofNanos(flushLingerMicros * 1000)) : netty);
        } else if (transport.equals(JettyTransport.NAME)) {
            chat.transport(new JettyTransport(batching));
        } else {
            chat.transport(transport);
        }
        if (batching && !transport.equals(JettyTransport.NAME)) {
            throw new IllegalArgumentException("--batching is for --transport jetty");
        }
        if (joinHookUrl != null) {
            if (hookSecret == null) {
                throw new IllegalArgumentException("--join-hook-url needs --hook-secret");
            }
            chat.asyncJoinHook(io.github.wschat.api.HttpJoinHook.to(joinHookUrl, hookSecret).build());
        }
        if (lineFilterUrl != null) {
            if (hookSecret == null) {
                throw new IllegalArgumentException("--line-filter-url needs --hook-secret");
            }
            chat.lineFilter(io.github.wschat.api.HttpLineFilter.to(lineFilterUrl, hookSecret).build());
        }
        if (webhookUrl != null) {
            if (webhookSecret == null) {
                throw new IllegalArgumentException("--webhook-url needs --webhook-secret");
            }
            io.github.wschat.api.Webhooks.Builder hooks = io.github.wschat.api.Webhooks.to(webhookUrl, webhookSecret);
            if (webhookRooms != null) {
                hooks.rooms(webhookRooms);
            }
            if (webhookKinds != null) {
                hooks.kinds(webhookKinds);
            }
            chat.eventSink("webhook", hooks.build());
        }
        chat.host(host)
                .port(webSocketPort)
                .maxMessageBytes(maxMessageBytes)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .maxConnectionsPerIdentity(maxConnectionsPerUser)
                .rateLimit(ratePerSecond, rateBurst)
                .maxQueuedBytes(maxOutboundBytes)
                .compression(Compression.parse(compression))
                .maxRooms(maxRooms)
                .historySize(history)
                .announceJoins(announceJoins)
                .leaveGrace(Duration.ofSeconds(leaveGraceSeconds))
                .pingInterval(Duration.ofSeconds(pingIntervalSeconds))
                .handshakeTimeout(Duration.ofSeconds(handshakeTimeoutSeconds));
        Optional<JwtAuthenticator> jwt = jwtAuthenticator();
        if (jwt.isPresent()) {
            if (authToken != null || operatorToken != null) {
                throw new IllegalArgumentException("--jwt-* or --auth-token/--operator-token, not both: "
                        + "an operator's token carries the role operator");
            }
            chat.authenticator(jwt.get());
        } else if (authToken != null || operatorToken != null) {
            chat.authenticator(new SharedTokenAuthenticator(authToken, operatorToken));
        }
        Optional<SSLContext> tls = Optional.empty();
        if (tlsKeystore != null) {
            tls = Optional.of(TlsContexts.fromPkcs12(tlsKeystore, tlsPassword.toCharArray()));
        }
        Optional<PrometheusMeterRegistry> registry = Optional.empty();
        if (metrics) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(prometheus);
            new JvmGcMetrics().bindTo(prometheus);
            new JvmThreadMetrics().bindTo(prometheus);
            new ProcessorMetrics().bindTo(prometheus);
            new UptimeMetrics().bindTo(prometheus);
            registry = Optional.of(prometheus);
        }
        if (redisLease < 1) {
            throw new IllegalArgumentException("--redis-lease must be at least 1 second: " + redisLease);
        }
        if (redisRoomRetention < 1) {
            throw new IllegalArgumentException("--redis-room-retention must be at least 1 minute: " + redisRoomRetention);
        }
        if (historyRetentionDays < 0) {
            throw new IllegalArgumentException("--history-retention must be 0 or more days: " + historyRetentionDays);
        }
        Optional<JdbcHistoryStore> historyStore = Optional.ofNullable(historyDb).map(url -> JdbcHistoryStore.open(url,
                historyDbUser.isEmpty() && url.startsWith("jdbc:h2:") ? "sa" : historyDbUser, historyDbPassword));
        historyStore.ifPresent(store -> chat.historyStore(store).historyRetention(Duration.ofDays(historyRetentionDays)));
        Optional<RedisBroker> broker = Optional.ofNullable(redis)
                .map(uri -> RedisBroker.builder(uri).lease(Duration.ofSeconds(redisLease))
                        .roomRetention(Duration.ofMinutes(redisRoomRetention)).build());
        broker.ifPresent(chat::broker);
        Demo demo;
        try {
            demo = Demo.start(chat, host, httpPort, tls, Optional.ofNullable(allowedOrigins), registry, apiKeys);
        } catch (IOException | RuntimeException e) {
            broker.ifPresent(RedisBroker::close);
            historyStore.ifPresent(JdbcHistoryStore::close);
            throw e;
        }
        // Ctrl-C and SIGTERM run this hook. It closes every client with 1001 and then ends the JVM
        // with status 0: a clean stop on request is a success, not the 130/143 of a killed process.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down: closing every client with 1001");
            try {
                demo.close();
            } finally {
                broker.ifPresent(RedisBroker::close);
                historyStore.ifPresent(JdbcHistoryStore::close);
            }
            Runtime.getRuntime().halt(0);
        }, "wschat-demo-shutdown"));
        String shown = host.equals("0.0.0.0") ? "localhost" : host;
        String secure = tls.isPresent() ? "s" : "";
        String query = authToken == null ? "" : "?token=" + URLEncoder.encode(authToken, StandardCharsets.UTF_8);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("wschat demo ready%n");
        out.printf("  chat page: http%s://%s:%d/%s%n", secure, shown, demo.pageAddress().getPort(), query);
        out.printf("  websocket: ws%s://%s:%d/chat%s (%s)%n", secure, shown, demo.webSocketAddress().getPort(), query,
                transport);
        if (operatorToken != null) {
            out.printf("  operators: http%s://%s:%d/?token=%s%n", secure, shown, demo.pageAddress().getPort(),
                    URLEncoder.encode(operatorToken, StandardCharsets.UTF_8));
        }
        if (jwt.isPresent()) {
            out.printf("  identity:  JSON Web Tokens: open the page as http%s://%s:%d/?token=JWT%n", secure, shown,
                    demo.pageAddress().getPort());
        }
        if (historyStore.isPresent()) {
            out.printf("  history:   every line kept in %s%n", historyDb.replaceAll("password=[^;&]*", "password=…"));
        }
        if (broker.isPresent()) {
            out.printf("  cluster:   a node on Redis (%s): rooms span every node on it%n", RedisBroker.describe(redis));
        }
        if (!apiKeys.isEmpty()) {
            out.printf("  api:       http%s://%s:%d/api/ (%d key%s; docs/API.md)%n", secure, shown,
                    demo.pageAddress().getPort(), apiKeys.size(), apiKeys.size() == 1 ? "" : "s");
        }
        if (metrics) {
            out.printf("  metrics:   http%s://%s:%d/metrics and /healthz%n", secure, shown, demo.pageAddress().getPort());
        }
        out.printf("Press Ctrl-C to stop.%n");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
