package io.github.wschat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A new client's handshake while the room is abused and busy: every handshake must end in an upgrade
 * or an HTTP status, never in a connection closed with no answer at all ("socket hang up").
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class HandshakesUnderLoadTck {

    private static final int PUMPERS = 16;
    private static final int LINE_BYTES = 8 * 1024;
    private static final int LINES_A_SECOND = 16;
    private static final Duration PUMPING = Duration.ofSeconds(5);
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(30);

    /**
     * The transport under test; a new instance or a shared one.
     *
     * @return the transport
     */
    protected abstract Transport transport();

    @Test
    void everyHandshakeIsAnsweredWhileTheRoomIsAbusedAndBusy() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        ExecutorService threads = Executors.newCachedThreadPool();
        AtomicBoolean pumping = new AtomicBoolean(true);
        try (ChatServer server = ChatServer.builder().transport(transport()).host("127.0.0.1").port(0)
                .historySize(0).announceJoins(false).maxConnectionsPerAddress(1_000)
                .pingInterval(Duration.ofSeconds(1)).start()) {
            int port = server.address().getPort();
            List<Socket> pumpers = new ArrayList<>();
            for (int i = 0; i < PUMPERS; i++) {
                Socket pumper = RawWebSocket.open(port, "/?nick=pump" + i);
                sockets.add(pumper);
                pumpers.add(pumper);
                threads.execute(() -> discardAll(pumper)); // an eager reader, as a browser is
            }
            // The abusers: an oversize line (1009), a flood (1008), a reader that never reads (1008).
            Socket oversize = RawWebSocket.open(port, "/?nick=oversize");
            Socket flooder = RawWebSocket.open(port, "/?nick=flooder");
            Socket slow = RawWebSocket.open(port, "/?nick=slow");
            sockets.addAll(List.of(oversize, flooder, slow));
            threads.execute(() -> discardAll(flooder));
            threads.execute(() -> sendQuietly(oversize, frame(70_000)));
            threads.execute(() -> {
                byte[] line = frame(20);
                for (int i = 0; i < 3_000; i++) {
                    if (!sendQuietly(flooder, line)) {
                        return;
                    }
                }
            });
            threads.execute(() -> pump(pumpers, pumping));

            // Newcomers knock every 100 ms while the room is busy.
            ConcurrentLinkedQueue<String> hangUps = new ConcurrentLinkedQueue<>();
            List<String> answers = new ArrayList<>();
            long end = System.nanoTime() + PUMPING.toNanos();
            int n = 0;
            while (System.nanoTime() < end) {
                String answer = knock(port, "/?nick=newcomer" + n++);
                answers.add(answer);
                if (answer.isEmpty()) {
                    hangUps.add("newcomer" + (n - 1));
                }
                Thread.sleep(100); // pacing the knocks, not waiting for an outcome
            }
            pumping.set(false);
            assertEquals(List.of(), List.copyOf(hangUps), "handshakes hung up with no answer, of " + answers.size()
                    + "; answers: " + answers.stream().distinct().toList());
            assertTrue(answers.stream().anyMatch(a -> a.startsWith("HTTP/1.1 101")), "someone got in: " + answers);
        } finally {
            pumping.set(false);
            for (Socket socket : sockets) {
                socket.close();
            }
            threads.shutdownNow();
        }
    }

    /** Sends a handshake and returns the response's status line, or "" if the server hung up first. */
    private static String knock(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(RawWebSocket.request(path).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder status = new StringBuilder();
            int c;
            try {
                while ((c = in.read()) != -1 && c != '\r') {
                    status.append((char) c);
                }
            } catch (SocketTimeoutException e) {
                return "no answer within " + ANSWER_WAIT;
            } catch (IOException reset) {
                // reset before any byte: as much a hang-up as a close
            }
            return status.toString();
        }
    }

    /** Each pumper says a line of 8 KiB 16 times a second, within the default rate limit. */
    private static void pump(List<Socket> pumpers, AtomicBoolean pumping) {
        byte[] line = frame(LINE_BYTES);
        long interval = TimeUnit.SECONDS.toNanos(1) / LINES_A_SECOND;
        long next = System.nanoTime();
        long end = next + PUMPING.plusSeconds(2).toNanos();
        while (pumping.get() && System.nanoTime() < end) {
            for (Socket pumper : pumpers) {
                sendQuietly(pumper, line);
            }
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // the pumping rate, not a wait for an outcome
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static byte[] frame(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'x');
        return ProtocolViolation.masked(0x81, payload);
    }

    private static boolean sendQuietly(Socket socket, byte[] frame) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(frame);
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static void discardAll(Socket socket) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = socket.getInputStream();
            while (in.read(buffer) != -1) {
                // discard
            }
        } catch (IOException closed) {
            // the test closes it
        }
    }
}
