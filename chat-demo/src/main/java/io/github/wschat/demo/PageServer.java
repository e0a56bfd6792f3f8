package io.github.wschat.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the chat page and its script and style from the jar. The page learns the WebSocket port
 * from a {@code <meta>} tag filled in here, and builds its URL from its own location.
 */
final class PageServer implements AutoCloseable {

    private static final String ROOT = "/io/github/wschat/demo/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/chat.js", "chat.js",
            "/chat.css", "chat.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, byte[]> bodies;

    PageServer(String host, int port, int webSocketPort) throws IOException {
        this.bodies = Map.of(
                "index.html", load("index.html").replace("{{WS_PORT}}", Integer.toString(webSocketPort))
                        .getBytes(StandardCharsets.UTF_8),
                "chat.js", load("chat.js").getBytes(StandardCharsets.UTF_8),
                "chat.css", load("chat.css").getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "wschat-page-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::serve);
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
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
