package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.SharedText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kit's sending cases: from many threads, shared frames beside direct sends, after close, close codes and reasons. */
abstract class SendCases extends KitCases {

    @Test
    void sendFromSixteenThreadsLosesAndCorruptsNothing() throws Exception {
        TckClient client = connect("/");
        Connection connection = awaitConnection(0).connection;
        await().atMost(WAIT).until(connection::isOpen);
        int threads = 16;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                sending.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < perThread; i++) {
                        assertTrue(connection.send(thread + ":" + i + ":" + "é".repeat(i % 50)));
                    }
                }, pool));
            }
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        int[] next = new int[threads];
        for (String message : client.nextMessages(threads * perThread, Duration.ofSeconds(60))) {
            String[] parts = message.split(":", -1);
            int thread = Integer.parseInt(parts[0]);
            int i = Integer.parseInt(parts[1]);
            assertEquals(next[thread], i, "thread " + thread + " out of order");
            assertEquals("é".repeat(i % 50), parts[2], "corrupted: " + message);
            next[thread]++;
        }
    }

    @Test
    void sharedTextsReachEveryConnectionIntactAndInOrderBesideDirectSends() throws Exception {
        int clients = 20;
        int messages = 300;
        List<TckClient> peers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            peers.add(connect("/"));
        }
        await().atMost(WAIT).until(() -> handler.openCount() == clients);
        List<Connection> connections = handler.connections.stream().map(r -> r.connection).toList();
        // In batches of 50 (about 0.5 MB to each peer, half the outbound budget): each batch is read by
        // every peer before the next is sent, so a peer that reads slowly on a loaded machine is never
        // over its budget (which would drop it, as the limit says) and the test checks only delivery.
        int batch = 50;
        for (int first = 0; first < messages; first += batch) {
            for (int m = first; m < first + batch; m++) {
                // Sizes cross the 125-byte and 64 KiB frame-length encodings; fan-out sends the same
                // SharedText to every connection, as rooms do, and a direct send follows now and then.
                SharedText shared = new SharedText(text(m));
                for (Connection connection : connections) {
                    boolean queued = connection instanceof AbstractConnection base ? base.send(shared) : connection.send(text(m));
                    assertTrue(queued);
                    if (m % 50 == 0) {
                        assertTrue(connection.send(m + ":direct"));
                    }
                }
            }
            for (TckClient peer : peers) {
                for (int m = first; m < first + batch; m++) {
                    String text = peer.nextMessage(WAIT);
                    assertTrue(text.startsWith(m + ":"), "message " + m + " in order: " + text.substring(0, Math.min(20, text.length())));
                    assertEquals(text(m), text);
                    if (m % 50 == 0) {
                        assertEquals(m + ":direct", peer.nextMessage(WAIT));
                    }
                }
            }
        }
    }

    private static String text(int m) {
        return m + ":" + "ü😀".repeat(m % 7 == 0 ? 11_000 : m % 3 == 0 ? 40 : 2);
    }

    @Test
    void sendAfterCloseReturnsFalseAndNeverBlocks() throws Exception {
        TckClient client = connect("/");
        RecordingHandler.Recorded recorded = awaitConnection(0);
        await().atMost(WAIT).until(recorded.connection::isOpen);
        recorded.connection.close(CloseCodes.NORMAL, "bye");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(recorded.connection.send("late")));
        assertEquals(new CloseStatus(CloseCodes.NORMAL, "bye"), client.awaitClose(WAIT));
        await().atMost(WAIT).until(() -> recorded.closed != null);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(recorded.connection.send("later")));
        recorded.connection.close(CloseCodes.NORMAL, "again");
        assertFalse(recorded.connection.isOpen());
    }

    @Test
    void closeRefusesCodesThatMayNotBeSentAndOverlongReasons() throws Exception {
        connect("/");
        Connection connection = awaitConnection(0).connection;
        assertThrows(IllegalArgumentException.class, () -> connection.close(CloseCodes.ABNORMAL, ""));
        assertThrows(IllegalArgumentException.class, () -> connection.close(999, ""));
        assertThrows(IllegalArgumentException.class, () -> connection.close(CloseCodes.NORMAL, "é".repeat(62)));
        assertThrows(NullPointerException.class, () -> connection.send(null));
    }

    @Test
    void closeCodesAndReasonsTravelBothWays() throws Exception {
        TckClient leaving = connect("/");
        leaving.close(4001, "client says ✓ bye");
        RecordingHandler.Recorded first = awaitConnection(0);
        await().atMost(WAIT).until(() -> first.closed != null);
        assertEquals(new CloseStatus(4001, "client says ✓ bye"), first.closed);

        TckClient kicked = connect("/");
        RecordingHandler.Recorded second = awaitConnection(1);
        await().atMost(WAIT).until(second.connection::isOpen);
        second.connection.close(4002, "server says ✓ bye");
        assertEquals(new CloseStatus(4002, "server says ✓ bye"), kicked.awaitClose(WAIT));
        await().atMost(WAIT).until(() -> second.closed != null);
        assertEquals(4002, second.closed.code());
    }
}
