package io.github.wschat.transport.javawebsocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import io.github.wschat.tck.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client that asked is answered at the handshake deadline: 408 for a request that never finished,
 * 503 for one the server did not get to in time; and a connection the server opens after having
 * given up on it is closed at once, with one close event, never left behind.
 */
class HandshakeDeadlineAnswersTest {

    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TransportOptions options() {
        return TransportOptions.builder().host("127.0.0.1").port(0).handshakeTimeout(DEADLINE).build();
    }

    private static String statusLine(Socket socket) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            line.append((char) c);
        }
        return line.toString();
    }

    @Test
    void anIncompleteRequestGets408AtTheDeadline() throws Exception {
        try (TransportServer server = new JavaWebSocketTransport().start(options(), connection -> { });
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 408 Request Timeout", statusLine(socket));
        }
    }

    @Test
    void aRequestTheServerDidNotGetToInTimeGets503AndItsLateConnectionClosesOnce() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        List<Connection> opened = new CopyOnWriteArrayList<>();
        AtomicInteger closes = new AtomicInteger();
        ConnectionHandler stalled = new ConnectionHandler() {
            @Override
            public Admission admit(Handshake handshake) {
                try {
                    // The worker thread is held past the deadline, as a worker far behind would be.
                    answered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Admission.accept();
            }

            @Override
            public void connected(Connection connection) {
                opened.add(connection);
                connection.onClose((code, reason) -> closes.incrementAndGet());
            }
        };
        try (TransportServer server = new JavaWebSocketTransport().start(options(), stalled);
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(RawWebSocket.request("/chat").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(socket);
            answered.countDown();
            assertEquals("HTTP/1.1 503 Service Unavailable", status);
            // The library still opens the connection it gave up on; it must end at once, closed once.
            await().atMost(WAIT).until(() -> opened.size() == 1 && closes.get() == 1);
            assertTrue(!opened.get(0).isOpen(), "the late connection is not left open");
        }
    }
}
