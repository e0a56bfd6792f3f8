package io.github.wschat.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.github.wschat.api.AdminConsole;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * Serves the chat page, its script (the rendering, {@code chat.js}) on the web client package
 * ({@code wschat.js}, from chat-client-js) and its style from the jar, over HTTPS when given a TLS context.
 * The page learns the WebSocket port and scheme from {@code <meta>} tags filled in here, and builds
 * its URL from its own location. Lifecycle: the constructor binds (so the page's origin is known
 * before the chat server starts), {@link #start} serves, {@link #close} stops.
 */
final class PageServer implements AutoCloseable {

    private static final String ROOT = "/io/github/wschat/demo/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/chat.js", "chat.js",
            "/wschat.js", "wschat.js",
            "/chat.css", "chat.css",
            "/admin", "admin.html",
            "/admin.js", "admin.js",
            "/admin.css", "admin.css");
    /** The admin console, for operators with an API key; the API is at /api on this port. */
    private static final AdminConsole CONSOLE = AdminConsole.withKeys("/api");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final boolean https;
    private final ExecutorService threads;
    private volatile Map<String, byte[]> bodies = Map.of();

    PageServer(String host, int port, Optional<SSLContext> tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (tls.isPresent()) {
            HttpsServer secure = HttpsServer.create(address, 64);
            secure.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
            this.server = secure;
        } else {
            this.server = HttpServer.create(address, 64);
        }
        this.https = tls.isPresent();
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "wschat-page-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::serve);
    }

    /** Serves the page, which connects to the chat on this port (ws or wss as this server is). */
    void start(int webSocketPort) {
        this.bodies = Map.of(
                "index.html", load("index.html")
                        .replace("{{WS_PORT}}", Integer.toString(webSocketPort))
                        .replace("{{WS_SCHEME}}", https ? "wss" : "ws")
                        .getBytes(StandardCharsets.UTF_8),
                "chat.js", load("chat.js").getBytes(StandardCharsets.UTF_8),
                "wschat.js", load("wschat.js").getBytes(StandardCharsets.UTF_8),
                "chat.css", load("chat.css").getBytes(StandardCharsets.UTF_8),
                "admin.html", CONSOLE.page(),
                AdminConsole.SCRIPT, CONSOLE.asset(AdminConsole.SCRIPT).orElseThrow(),
                AdminConsole.STYLE, CONSOLE.asset(AdminConsole.STYLE).orElseThrow());
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Also serves {@code /metrics}, the registry in Prometheus' text format, and {@code /healthz}:
     * 200 {@code ok} while the chat server runs, 503 with the reason once it has stopped. Call
     * before {@link #start}.
     */
    void serveOperations(PrometheusMeterRegistry registry, BooleanSupplier chatRunning) {
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
        server.createContext("/healthz", exchange -> {
            try (exchange) {
                boolean running = chatRunning.getAsBoolean();
                reply(exchange, running ? 200 : 503, "text/plain; charset=utf-8",
                        running ? "ok\n" : "unavailable: the chat server has stopped\n");
            }
        });
    }

    /** Also serves the server HTTP API at {@code /api}. Call before {@link #start}. */
    void serveApi(com.sun.net.httpserver.HttpHandler api) {
        server.createContext("/api", api);
    }

    private static void reply(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /**
     * The origins a browser sends from this page when it reaches it by a loopback name, or by the
     * bound host if that is a specific one: the demo's default Origin allow-list.
     */
    List<String> origins(String host) {
        String scheme = https ? "https" : "http";
        int port = address().getPort();
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "[::1]"));
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            hosts.add(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
        }
        return hosts.stream().map(h -> scheme + "://" + h + ":" + port).toList();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String file = FILES.get(exchange.getRequestURI().getPath());
            if (file == null) {
                byte[] body = "not found\n".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            byte[] body = bodies.get(file);
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            headers.set("Cache-Control", "no-cache");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Content-Security-Policy",
                    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; object-src 'none'; base-uri 'none'");
            if (file.equals("wschat.js")) {
                // The web client package, public: pages of other origins may import it (docs/CLIENTS.md).
                headers.set("Access-Control-Allow-Origin", "*");
            }
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String load(String name) {
        try (InputStream in = Objects.requireNonNull(PageServer.class.getResourceAsStream(ROOT + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page resource " + name, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
