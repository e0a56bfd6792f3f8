package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.github.wschat.CloseCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit's limit cases: a message over the limit (1009), a frame that announces too much, a peer that stops reading (1008 over its budget). */
abstract class LimitCases extends KitCases {

    @Test
    void aMessageOverTheLimitClosesWith1009AndSparesTheOthers() throws Exception {
        TckClient bystander = connect("/");
        TckClient oversized = connect("/");
        oversized.send("é".repeat(MAX_MESSAGE_BYTES / 2) + "!");
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, oversized.awaitClose(WAIT).code());
        bystander.send("x".repeat(MAX_MESSAGE_BYTES));
        assertEquals(MAX_MESSAGE_BYTES, bystander.nextMessage(WAIT).length(), "a message at the limit passes");
        RecordingHandler.Recorded refused = awaitTheOneClosed();
        assertEquals(List.of(), refused.messages);
    }

    @Test
    void aFrameAnnouncingMoreThanTheLimitIsRefusedFromItsHeader() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        try (Socket raw = openRawWebSocket()) {
            OutputStream out = raw.getOutputStream();
            long announced = 100L * 1024 * 1024;
            byte[] header = {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0,
                (byte) (announced >>> 24), (byte) (announced >>> 16), (byte) (announced >>> 8), (byte) announced,
                1, 2, 3, 4};
            out.write(header);
            out.write(new byte[4096]);
            out.flush();
            if (!refusesOversizeFramesFromTheirHeader()) {
                // Masked zeros are 1, 2, 3, 4 repeated: valid UTF-8. Send until past the limit, or until
                // the server hangs up.
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) (1 + (i + 4096) % 4);
                }
                try {
                    for (long sent = 4096; sent <= MAX_MESSAGE_BYTES + chunk.length; sent += chunk.length) {
                        out.write(chunk);
                    }
                    out.flush();
                } catch (IOException closedByServer) {
                    // refused: the close frame is waiting to be read
                }
            }
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, RawWebSocket.awaitCloseCode(raw, WAIT));
        }
    }

    @Test
    void aPeerThatStopsReadingIsDroppedWith1008OnceOverItsBudget() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        try (Socket stalled = openRawWebSocket()) {
            RecordingHandler.Recorded recorded = awaitConnection(0);
            await().atMost(WAIT).until(recorded.connection::isOpen);
            String line = "x".repeat(64 * 1024);
            long sent = 0;
            long cap = 256L * 1024 * 1024;
            while (recorded.connection.send(line) && sent < cap) {
                sent += line.length();
            }
            assertTrue(sent < cap, "dropped before " + cap + " bytes were queued");
            await().atMost(WAIT).until(() -> recorded.closed != null);
            assertEquals(CloseCodes.POLICY_VIOLATION, recorded.closed.code());
        }
    }

    /**
     * The budget counts bytes, not the library's bookkeeping: a peer that reads nothing is dropped
     * only once about the budget's worth of small messages waits for it (frame headers aside).
     */
    @Test
    void aPeerThatStopsReadingKeepsItsWholeBudgetOfSmallMessages() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        // Pings a minute apart: the peer, which answers none, must be dropped for its budget (1008),
        // not as dead. With the kit's short pings a send that slowed down with the queue's length (a
        // walk of the whole queue per send, as Java-WebSocket's adapter did) hid behind the ping
        // deadline, and on a loaded machine the peer was declared dead before its budget filled.
        server.close();
        server = transport().start(options(0).toBuilder().pingInterval(Duration.ofMinutes(1)).build(), handler);
        try (Socket stalled = openRawWebSocket()) {
            RecordingHandler.Recorded recorded = awaitConnection(0);
            await().atMost(WAIT).until(recorded.connection::isOpen);
            // 40 bytes: small next to a library's per-message bookkeeping (Netty counts 96 bytes an
            // entry): the budget counts the bytes, not the entries.
            String line = "0123456789".repeat(4);
            long sent = 0;
            while (recorded.connection.send(line) && sent < 4 * MAX_QUEUED_BYTES) {
                sent += line.length();
            }
            assertTrue(sent >= MAX_QUEUED_BYTES / 2, "dropped after only " + sent + " bytes of a "
                    + MAX_QUEUED_BYTES + "-byte budget");
            assertTrue(sent < 4 * MAX_QUEUED_BYTES, "dropped at last");
            await().atMost(WAIT).until(() -> recorded.closed != null);
            assertEquals(CloseCodes.POLICY_VIOLATION, recorded.closed.code(), "dropped for its budget");
        }
    }
}
