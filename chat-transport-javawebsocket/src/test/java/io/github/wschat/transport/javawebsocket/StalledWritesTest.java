package io.github.wschat.transport.javawebsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wschat.Connection;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A write demand Java-WebSocket lost is given back: a frame left in a connection's queue while its key
 * asks only to read — as the library's selector leaves it when it sets the interest back to reading in
 * the instant another thread queued a frame — still reaches the client, within a few sweeps.
 */
class StalledWritesTest {

    @Test
    void aFrameLeftInTheQueueWithoutAWriteDemandStillGoesOut() throws Exception {
        CompletableFuture<Connection> opened = new CompletableFuture<>();
        TransportOptions options = TransportOptions.builder().host("127.0.0.1").port(0).build();
        try (TransportServer server = new JavaWebSocketTransport().start(options, connection -> opened.complete(connection))) {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.address().getPort() + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            received.add(data.toString());
                            socket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            JavaWebSocketConnection connection = (JavaWebSocketConnection) opened.get(10, TimeUnit.SECONDS);
            connection.send("first");
            assertEquals("first", received.poll(10, TimeUnit.SECONDS));
            // The lost demand: the frame is queued, and no one asks the selector to write it.
            byte[] late = "late".getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(2 + late.length).put((byte) 0x81).put((byte) late.length).put(late).flip();
            connection.socket().outQueue.add(frame);
            assertEquals("late", received.poll(10, TimeUnit.SECONDS), "the frame went out without another send");
            client.abort();
        }
    }
}
