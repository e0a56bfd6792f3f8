package io.github.wschat.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The flush linger, seen from outside: lines sent one at a time, a millisecond apart, reach a member
 * in order and all of them, in at most one write per linger — counted as the TCP segments the
 * server's connections send ({@code ss -ti}), since each write with Nagle off is at least one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlushLingerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern DATA_SEGS_OUT = Pattern.compile("\\bdata_segs_out:(\\d+)");
    private static final long LINGER_MILLIS = 100;
    private static final int LINES = 60;

    @Test
    void linesThatComeWithinALingerLeaveInOneWriteAndAllArriveInOrder() throws Exception {
        boolean ss = ssWorks();
        if (!ss && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the linger test: ss is missing (apt-get install iproute2)");
        }
        Assumptions.assumeTrue(ss, "counting segments needs ss: sudo apt-get install iproute2 (Linux)");
        try (ChatServer chat = ChatServer.builder()
                .transport(new NettyTransport().withFlushLinger(Duration.ofMillis(LINGER_MILLIS)))
                .host("127.0.0.1").port(0).historySize(0).announceJoins(false).rateLimit(10_000, 10_000).start()) {
            int port = chat.address().getPort();
            JdkWebSocketConnector connector = new JdkWebSocketConnector();
            TckClient reader = connector.connect(URI.create("ws://127.0.0.1:" + port + "/chat?nick=reader"), Map.of(), List.of());
            TckClient writer = connector.connect(URI.create("ws://127.0.0.1:" + port + "/chat?nick=writer"), Map.of(), List.of());
            writer.send("ready?");
            reader.nextMessageMatching(m -> m.equals("writer: ready?"), WAIT);
            writer.nextMessageMatching(m -> m.equals("writer: ready?"), WAIT);

            long before = segmentsFrom(port);
            long start = System.nanoTime();
            for (int i = 0; i < LINES; i++) {
                writer.send("L" + i);
                TimeUnit.MILLISECONDS.sleep(1); // pacing the sender, not waiting for the server
            }
            for (int i = 0; i < LINES; i++) {
                assertEquals("writer: L" + i, reader.nextMessage(WAIT));
            }
            writer.nextMessageMatching(m -> m.equals("writer: L" + (LINES - 1)), WAIT);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long segments = segmentsFrom(port) - before;
            // Each event loop passes over its members at most once a linger (plus the pass that starts a
            // burst): two members, each at most one write a pass.
            long bound = 2 * (elapsedMillis / LINGER_MILLIS + 2);
            assertTrue(segments <= bound, segments + " segments for " + 2 * LINES + " deliveries in " + elapsedMillis
                    + " ms; a linger of " + LINGER_MILLIS + " ms allows " + bound);
        }
    }

    private static boolean ssWorks() {
        try {
            return new ProcessBuilder("ss", "-V").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The data segments the server's established connections on {@code port} have sent. */
    private static long segmentsFrom(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-tinH", "state", "established", "( sport = :" + port + " )")
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ss.waitFor(10, TimeUnit.SECONDS));
        long sum = 0;
        Matcher m = DATA_SEGS_OUT.matcher(out);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }
}
