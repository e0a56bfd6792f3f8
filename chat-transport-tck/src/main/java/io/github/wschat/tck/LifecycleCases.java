package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.github.wschat.CloseCodes;
import io.github.wschat.spi.TransportServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit's lifecycle cases: a peer that vanishes, one that stops answering pings, and the graceful close (1001 after what was queued, a grace period, the port free at once). */
abstract class LifecycleCases extends KitCases {

    @Test
    void clientThatVanishesYieldsCloseWithinTheTimeout() throws Exception {
        TckClient client = connect("/");
        client.send("here");
        client.nextMessage(WAIT);
        RecordingHandler.Recorded recorded = awaitConnection(0);
        client.abort();
        await().atMost(pingInterval().multipliedBy(3).plusSeconds(2)).until(() -> recorded.closed != null);
        assertEquals(CloseCodes.ABNORMAL, recorded.closed.code());
    }

    /**
     * The JDK's client sends its close frame and shuts its output at once: the end of stream arrives
     * with the frame, and a server that acts on the end before it decodes the frame reports a lost
     * connection (1006) for a normal close (Java-WebSocket did, now and then).
     */
    @Test
    void clientsThatCloseNormallyAndHangUpAtOnceAreEachReportedClosedWith1000() throws Exception {
        int n = 30;
        List<TckClient> clients = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(connect("/"));
        }
        await().atMost(WAIT).until(() -> handler.connections.size() == n);
        for (TckClient client : clients) {
            client.close(CloseCodes.NORMAL, "bye");
        }
        await().atMost(WAIT).until(() -> handler.connections.stream().allMatch(r -> r.closed != null));
        assertEquals(List.of(), handler.connections.stream().filter(r -> r.closed.code() != CloseCodes.NORMAL)
                .map(r -> r.closed).toList(), "every normal close reported as one");
    }

    @Test
    void peerThatStopsAnsweringPingsIsClosedWithinThreeIntervals() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        try (Socket silent = openRawWebSocket()) {
            RecordingHandler.Recorded recorded = awaitConnection(0);
            // The socket stays open and never answers a ping.
            await().atMost(pingInterval().multipliedBy(3).plusSeconds(2)).until(() -> recorded.closed != null);
            assertEquals(CloseCodes.ABNORMAL, recorded.closed.code());
        }
    }

    @Test
    void stoppingTheServerClosesEveryClientWith1001() throws Exception {
        List<TckClient> clients = List.of(connect("/"), connect("/chat"), connect("/other"));
        await().atMost(WAIT).until(() -> handler.openCount() == 3);
        server.close();
        for (TckClient client : clients) {
            assertEquals(CloseCodes.GOING_AWAY, client.awaitClose(WAIT).code());
        }
        assertTrue(handler.connections.stream().allMatch(r -> r.closed != null), "close events delivered by close()");
    }

    @Test
    void stoppingTheServerDeliversWhatWasQueuedBeforeItsCloseFrame() throws Exception {
        TckClient client = connect("/");
        RecordingHandler.Recorded recorded = awaitConnection(0);
        await().atMost(WAIT).until(() -> recorded.connection.isOpen());
        int count = 200;
        for (int i = 0; i < count; i++) {
            assertTrue(recorded.connection.send("queued " + i));
        }
        server.close();
        List<String> received = client.nextMessages(count, WAIT);
        for (int i = 0; i < count; i++) {
            assertEquals("queued " + i, received.get(i));
        }
        assertEquals(CloseCodes.GOING_AWAY, client.awaitClose(WAIT).code());
    }

    @Test
    void stoppingTheServerEndsAPeerThatNeverAnswersItsCloseAfterTheGracePeriod() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        try (Socket silent = openRawWebSocket()) {
            RecordingHandler.Recorded recorded = awaitConnection(0);
            long started = System.nanoTime();
            server.close(); // the peer reads nothing and never answers the close frame
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(recorded.closed != null, "the connection got its close event when close() returned");
            assertTrue(took.compareTo(WAIT) < 0, "close() returned after " + took);
        }
    }

    @Test
    void stoppingTheServerFreesThePortAtOnce() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        TckClient client = connect("/");
        client.send("x");
        client.nextMessage(WAIT);
        int port = server.address().getPort();
        server.close();
        client.awaitClose(WAIT);
        TransportServer again = transport().start(options(port), new RecordingHandler());
        try {
            assertEquals(port, again.address().getPort());
            TckClient second = connector.connect(again, "/");
            second.send("y");
            assertEquals("y", second.nextMessage(WAIT));
        } finally {
            again.close();
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }
}
