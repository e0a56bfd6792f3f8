package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.github.wschat.CloseCodes;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kit's handshake cases: what reaches the connection, refusals, the subprotocol, the handshake deadline, a thousand at once. */
abstract class HandshakeCases extends KitCases {

    @Test
    void handshakeFactsReachTheConnection() throws Exception {
        connector.connect(server, "/room/a?nick=ann&x=%C3%A9", Map.of("X-Tck", "yes"), List.of());
        var handshake = awaitConnection(0).connection.handshake();
        assertEquals("/room/a", handshake.path());
        assertEquals("nick=ann&x=%C3%A9", handshake.query());
        assertEquals(List.of("é"), handshake.queryParameters().get("x"));
        assertEquals("yes", handshake.header("x-tck").orElseThrow());
        assertTrue(handshake.remoteAddress().getAddress().isLoopbackAddress(), handshake.remoteAddress().toString());
        assertSame(handler.admitted.get(0), handshake, "connected() gets the Handshake instance admit() got");
    }

    @Test
    void refusedHandshakeCreatesNoConnection() {
        HandshakeRefusedException refused = assertThrows(HandshakeRefusedException.class, () -> connect("/refused"));
        assertEquals(403, refused.status(), "the status the handler chose reaches the client");
        assertEquals(0, handler.connections.size());
    }

    @Test
    void theAgreedSubprotocolReachesBothSides() throws Exception {
        TckClient client = connector.connect(server, "/offer", Map.of(), List.of("tck.v1", "tck.v0"));
        assertEquals("tck.v1", client.subprotocol());
        assertEquals("tck.v1", awaitConnection(0).connection.subprotocol());
        TckClient plain = connect("/");
        assertEquals("", plain.subprotocol());
        assertEquals("", awaitConnection(1).connection.subprotocol());
    }

    @Test
    void aSocketThatNeverSendsAHandshakeIsDroppedAfterTheHandshakeTimeout() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        InetSocketAddress address = server.address();
        try (Socket loris = new Socket(address.getAddress(), address.getPort())) {
            loris.setSoTimeout((int) handshakeTimeout().multipliedBy(2).plus(WAIT).toMillis());
            long started = System.nanoTime();
            // Nothing is sent: the server must hang up by itself, with no response at all.
            assertEquals(-1, loris.getInputStream().read(), "the server closes the socket without a response");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(handshakeTimeout().multipliedBy(2).plusSeconds(1)) < 0, "dropped after " + took);
        } catch (SocketException reset) {
            // A reset is as good as a close: the server dropped the socket.
        }
        assertEquals(0, handler.connections.size(), "no connection was handed out");
    }

    @Test
    void thousandConcurrentConnectionsOpenChatAndClose() throws Exception {
        int count = 1000;
        List<CompletableFuture<TckClient>> opening = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<TckClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                opening.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return connect("/");
                    } catch (HandshakeRefusedException e) {
                        throw new AssertionError(e);
                    }
                }, pool));
            }
            for (CompletableFuture<TckClient> f : opening) {
                clients.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(WAIT).until(() -> handler.openCount() == count);
        for (int i = 0; i < count; i++) {
            clients.get(i).send("hello " + i);
        }
        for (int i = 0; i < count; i++) {
            assertEquals("hello " + i, clients.get(i).nextMessage(WAIT));
        }
        for (TckClient client : clients) {
            client.close(CloseCodes.NORMAL, "");
        }
        await().atMost(Duration.ofSeconds(60)).until(
                () -> handler.connections.stream().allMatch(r -> r.closed != null));
        assertEquals(count, handler.connections.size());
        assertEquals(0, handler.openCount());
    }
}
