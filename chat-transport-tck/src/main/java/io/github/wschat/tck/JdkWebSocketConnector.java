package io.github.wschat.tck;

import io.github.wschat.spi.TransportServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Connects with the JDK's {@link java.net.http.WebSocket}, an independent client: many connections
 * share one {@link HttpClient} and its selector thread. Thread-safe.
 */
public final class JdkWebSocketConnector implements TckClientConnector {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http;

    /** Creates a connector with its own {@link HttpClient}. */
    public JdkWebSocketConnector() {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /**
     * Creates a connector for {@code wss://} URIs whose servers the given context trusts (e.g.
     * {@link SelfSignedKeystore#trustingClientContext()}).
     *
     * @param tls the client's TLS context
     */
    public JdkWebSocketConnector(SSLContext tls) {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).sslContext(tls).build();
    }

    @Override
    public TckClient connect(TransportServer server, String target, Map<String, String> headers, List<String> subprotocols)
            throws HandshakeRefusedException {
        String host = server.address().getAddress().isAnyLocalAddress()
                ? "127.0.0.1" : server.address().getAddress().getHostAddress();
        URI uri = URI.create("ws://" + host + ":" + server.address().getPort() + target);
        return connect(uri, headers, subprotocols);
    }

    /**
     * Opens a connection to a URI.
     *
     * @param uri a {@code ws://} URI
     * @param headers extra request headers
     * @param subprotocols the subprotocols to offer
     * @return the open client
     * @throws HandshakeRefusedException if the server refused the handshake
     */
    public TckClient connect(URI uri, Map<String, String> headers, List<String> subprotocols)
            throws HandshakeRefusedException {
        JdkClient client = new JdkClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        try {
            client.socket = builder.buildAsync(uri, client).get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            return client;
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new HandshakeRefusedException(refused.getResponse().statusCode(), "refused: " + uri);
            }
            throw new AssertionError("could not connect to " + uri, e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no handshake with " + uri + " within " + CONNECT_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        // HttpClient has no close() before JDK 21; its threads end when it is unreachable.
    }

    private static final class JdkClient extends ReceivingClient implements WebSocket.Listener {
        private volatile WebSocket socket;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedWith(1006, String.valueOf(error));
        }

        @Override
        public synchronized void send(String text) {
            socket.sendText(text, true).join();
        }

        @Override
        public synchronized void sendBinary(byte[] data) {
            socket.sendBinary(ByteBuffer.wrap(data), true).join();
        }

        @Override
        public synchronized void close(int code, String reason) {
            socket.sendClose(code, reason).join();
        }

        @Override
        public void abort() {
            socket.abort();
            closedWith(1006, "aborted by the client");
        }

        @Override
        public String subprotocol() {
            return socket.getSubprotocol();
        }
    }
}
