package io.github.wschat.demo;

import io.github.wschat.server.ChatServer;
import io.github.wschat.transport.javawebsocket.JavaWebSocketTransport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** The running demo: the chat server and the page server. Closing stops both. */
final class Demo implements AutoCloseable {

    private final ChatServer chat;
    private final PageServer page;

    private Demo(ChatServer chat, PageServer page) {
        this.chat = chat;
        this.page = page;
    }

    static Demo start(String host, int webSocketPort, int httpPort) throws IOException {
        return start(ChatServer.builder().transport(JavaWebSocketTransport.NAME).host(host).port(webSocketPort), host,
                httpPort, Optional.empty(),
                Optional.empty());
    }

    /**
     * Starts the chat server as configured (which names its transport: the demo has two) and the page
     * server beside it.
     *
     * @param tls serves the page over HTTPS and the chat over wss when present
     * @param allowedOrigins the browser origins the chat accepts; empty for the page's own origin
     */
    static Demo start(ChatServer.Builder configured, String host, int httpPort, Optional<SSLContext> tls,
            Optional<List<String>> allowedOrigins) throws IOException {
        return start(configured, host, httpPort, tls, allowedOrigins, Optional.empty());
    }

    /**
     * As {@link #start(ChatServer.Builder, String, int, Optional, Optional)}, measuring the chat into
     * {@code metrics} when present, served with {@code /healthz} on the page server.
     */
    static Demo start(ChatServer.Builder configured, String host, int httpPort, Optional<SSLContext> tls,
            Optional<List<String>> allowedOrigins, Optional<PrometheusMeterRegistry> metrics) throws IOException {
        return start(configured, host, httpPort, tls, allowedOrigins, metrics, java.util.Map.of());
    }

    /**
     * As above, serving the server HTTP API ({@link io.github.wschat.api.ChatApi}) at {@code /api} on the
     * page server where {@code apiKeys} (name to key) holds any.
     */
    static Demo start(ChatServer.Builder configured, String host, int httpPort, Optional<SSLContext> tls,
            Optional<List<String>> allowedOrigins, Optional<PrometheusMeterRegistry> metrics,
            java.util.Map<String, String> apiKeys) throws IOException {
        PageServer page = new PageServer(host, httpPort, tls);
        ChatServer chat = null;
        try {
            tls.ifPresent(configured::tls);
            metrics.ifPresent(configured::meterRegistry);
            chat = configured.allowedOrigins(allowedOrigins.orElseGet(() -> page.origins(host)))
                    .start();
            ChatServer running = chat;
            metrics.ifPresent(registry -> page.serveOperations(registry, running::isRunning));
            if (!apiKeys.isEmpty()) {
                io.github.wschat.api.ChatApi.Builder api = io.github.wschat.api.ChatApi.builder(running);
                apiKeys.forEach(api::key);
                page.serveApi(api.build().httpHandler("/api"));
            }
            page.start(chat.address().getPort());
            return new Demo(chat, page);
        } catch (IOException | RuntimeException e) {
            page.close();
            if (chat != null) {
                chat.close();
            }
            throw e;
        }
    }

    ChatServer chat() {
        return chat;
    }

    InetSocketAddress webSocketAddress() {
        return chat.address();
    }

    InetSocketAddress pageAddress() {
        return page.address();
    }

    @Override
    public void close() {
        try {
            page.close();
        } finally {
            chat.close();
        }
    }
}
