package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.SharedText;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transport test kit. A transport proves it honours the SPI by extending this class:
 *
 * <pre>{@code
 * class MyTransportTckTest extends TransportTck {
 *     @Override
 *     protected Transport transport() {
 *         return new MyTransport();
 *     }
 * }
 * }</pre>
 *
 * <p>Each test starts a server of the transport on {@code 127.0.0.1}, port 0, and talks to it with
 * the clients of {@link #connector()} — by default the JDK's {@link java.net.http.WebSocket} over
 * real sockets. Every test also checks the event contract of {@link Connection} on every connection
 * it made: {@code open} first, handlers never concurrent, exactly one {@code close}, last. Tests that
 * need real sockets are skipped when {@link #usesSockets()} is false.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class TransportTck {

    /** How long the kit waits for anything that should happen soon. */
    protected static final Duration WAIT = Duration.ofSeconds(20);

    /** The message limit the kit starts servers with: room for its 1 MiB messages, not for more. */
    protected static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    /** The outbound budget the kit starts servers with: several of its largest messages. */
    protected static final long MAX_QUEUED_BYTES = 4L * MAX_MESSAGE_BYTES;

    private RecordingHandler handler;
    private TransportServer server;
    private TckClientConnector connector;

    /**
     * The transport under test; a new instance or a shared one.
     *
     * @return the transport
     */
    protected abstract Transport transport();

    /**
     * How the kit opens client connections. Override for a transport without sockets.
     *
     * @return a new connector
     */
    protected TckClientConnector connector() {
        return new JdkWebSocketConnector();
    }

    /**
     * Whether the transport talks over real sockets; if not, the socket-only tests are skipped.
     *
     * @return true by default
     */
    protected boolean usesSockets() {
        return true;
    }

    /**
     * The ping interval the kit starts servers with; it expects a dead peer to be found within three
     * intervals (the transport's check runs once an interval and allows one and a half).
     *
     * @return 2 s by default
     */
    protected Duration pingInterval() {
        return Duration.ofSeconds(2);
    }

    /**
     * The handshake timeout the kit starts servers with; it expects a socket that sends nothing to
     * be dropped within twice this.
     *
     * @return 2 s by default
     */
    protected Duration handshakeTimeout() {
        return Duration.ofSeconds(2);
    }

    private TransportOptions options(int port) {
        return TransportOptions.builder()
                .host("127.0.0.1")
                .port(port)
                .pingInterval(pingInterval())
                .handshakeTimeout(handshakeTimeout())
                .closeGracePeriod(Duration.ofSeconds(2))
                .maxMessageBytes(MAX_MESSAGE_BYTES)
                .maxQueuedBytes(MAX_QUEUED_BYTES)
                .build();
    }

    @BeforeEach
    void startServer() throws IOException {
        handler = new RecordingHandler();
        server = transport().start(options(0), handler);
        connector = connector();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        connector.close();
        assertEquals(List.of(), handler.violations(), "event contract broken");
    }

    private TckClient connect(String target) throws HandshakeRefusedException {
        return connector.connect(server, target);
    }

    private RecordingHandler.Recorded awaitConnection(int index) {
        await().atMost(WAIT).until(() -> handler.connections.size() > index);
        return handler.connections.get(index);
    }

    /**
     * The one connection, of several, that the server has seen close. Connections opened one after
     * another may reach the handler in either order, so tests must not pick them by index.
     */
    private RecordingHandler.Recorded awaitTheOneClosed() {
        await().atMost(WAIT).until(() -> handler.connections.stream().anyMatch(r -> r.closed != null));
        List<RecordingHandler.Recorded> closed =
                handler.connections.stream().filter(r -> r.closed != null).toList();
        assertEquals(1, closed.size(), "exactly one connection closed");
        return closed.get(0);
    }

    @Test
    void openComesFirstThenMessagesInOrderThenOneCloseLast() throws Exception {
        TckClient client = connect("/");
        for (String text : List.of("one", "two", "three")) {
            client.send(text);
        }
        assertEquals(List.of("one", "two", "three"), client.nextMessages(3, WAIT));
        client.close(CloseCodes.NORMAL, "done");
        RecordingHandler.Recorded recorded = awaitConnection(0);
        await().atMost(WAIT).until(() -> recorded.closed != null);
        assertEquals(List.of("open", "message", "message", "message", "close"), recorded.events);
        assertFalse(recorded.connection.isOpen());
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("ascii", "hello, world"),
                Arguments.of("emoji", "😀 👍🏽 🇯🇵 👨‍👩‍👧"),
                Arguments.of("cjk", "漢字かなカナ한국어"),
                Arguments.of("64 KiB ascii", "a".repeat(64 * 1024)),
                Arguments.of("1 MiB mixed", "x€😀漢".repeat(1024 * 1024 / 10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void messagesArriveIntactBothWays(String kind, String payload) throws Exception {
        TckClient client = connect("/");
        client.send(payload);
        client.send("after");
        assertEquals(payload, client.nextMessage(WAIT));
        assertEquals("after", client.nextMessage(WAIT));
        assertEquals(List.of(payload, "after"), awaitConnection(0).messages);
    }

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

    /**
     * Whether the transport refuses a frame whose header announces more than the message limit before
     * reading its payload. Where the library cannot see a frame's header (the Jakarta WebSocket API on
     * Tomcat and on Jetty counts the bytes as they arrive), override with false: the kit then checks
     * that the frame is refused with 1009 once its bytes pass the limit, so that memory stays bounded.
     *
     * @return true by default
     */
    protected boolean refusesOversizeFramesFromTheirHeader() {
        return true;
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

    static Stream<ProtocolViolation> protocolViolations() {
        return ProtocolViolation.all(MAX_MESSAGE_BYTES).stream();
    }

    /** RFC 6455 over a raw socket: a client that breaks the protocol is failed with the code the RFC gives. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolViolations")
    void aProtocolViolationFailsTheConnectionWithItsCode(ProtocolViolation violation) throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        TckClient bystander = connect("/");
        try (Socket raw = openRawWebSocket()) {
            violation.send(raw.getOutputStream());
            assertEquals(violation.expectedCode(), RawWebSocket.awaitCloseCode(raw, WAIT), violation.name());
        }
        bystander.send("still here");
        assertEquals("still here", bystander.nextMessage(WAIT), "the other connections go on");
        await().atMost(WAIT).until(() -> handler.connections.stream().filter(r -> r.closed != null).count() == 1);
    }

    @Test
    void aCharacterSplitAcrossFragmentsArrivesWhole() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        try (Socket raw = openRawWebSocket()) {
            OutputStream out = raw.getOutputStream();
            out.write(ProtocolViolation.masked(0x01, new byte[] {'a', (byte) 0xc3}));
            out.write(ProtocolViolation.masked(0x80, new byte[] {(byte) 0xa9, 'b'}));
            out.flush();
            RecordingHandler.Recorded recorded = awaitConnection(0);
            await().atMost(WAIT).until(() -> !recorded.messages.isEmpty());
            assertEquals(List.of("aéb"), recorded.messages);
        }
    }

    /** However the socket cuts frames up, a server must find their boundaries: here, in odd-sized pieces. */
    @Test
    void framesCutIntoOddPiecesArriveWhole() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        List<String> texts = List.of("a", "é".repeat(100), "x".repeat(70_000), "ü".repeat(40_000), "z");
        java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        for (String text : texts) {
            frames.write(ProtocolViolation.masked(0x81, text.getBytes(StandardCharsets.UTF_8)));
        }
        byte[] bytes = frames.toByteArray();
        try (Socket raw = openRawWebSocket()) {
            raw.setTcpNoDelay(true);
            // The kit's handler echoes every message: read the echoes, so that the server's writes,
            // and the close frame behind them, never wait on a full socket buffer.
            Thread drain = new Thread(() -> {
                try {
                    raw.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException closed) {
                    // the test is over
                }
            }, "tck-drain");
            drain.setDaemon(true);
            drain.start();
            OutputStream out = raw.getOutputStream();
            int[] pieces = {1, 1, 1, 3, 7, 13, 1000, 4093};
            for (int at = 0, i = 0; at < bytes.length; i++) {
                int length = Math.min(pieces[i % pieces.length], bytes.length - at);
                out.write(bytes, at, length);
                out.flush();
                at += length;
            }
            RecordingHandler.Recorded recorded = awaitConnection(0);
            await().atMost(WAIT).until(() -> recorded.messages.size() == texts.size());
            assertEquals(texts, recorded.messages);
            out.write(ProtocolViolation.unmasked(0x81, "after".getBytes(StandardCharsets.UTF_8)));
            out.flush();
            await().atMost(WAIT).until(() -> recorded.closed != null);
            assertEquals(CloseCodes.PROTOCOL_ERROR, recorded.closed.code(), "and an unmasked frame after them is refused");
        }
    }

    private Socket openRawWebSocket() throws IOException {
        return RawWebSocket.open(server.address().getPort(), "/");
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
        try (Socket stalled = openRawWebSocket()) {
            RecordingHandler.Recorded recorded = awaitConnection(0);
            await().atMost(WAIT).until(recorded.connection::isOpen);
            // 40 bytes: small next to a library's per-message bookkeeping (Netty counts 96 bytes an
            // entry), and few enough messages that the budget fills well before the peer, which
            // answers no ping, is declared dead.
            String line = "0123456789".repeat(4);
            long sent = 0;
            while (recorded.connection.send(line) && sent < 4 * MAX_QUEUED_BYTES) {
                sent += line.length();
            }
            assertTrue(sent >= MAX_QUEUED_BYTES / 2, "dropped after only " + sent + " bytes of a "
                    + MAX_QUEUED_BYTES + "-byte budget");
            assertTrue(sent < 4 * MAX_QUEUED_BYTES, "dropped at last");
            await().atMost(WAIT).until(() -> recorded.closed != null);
        }
    }

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
        for (int m = 0; m < messages; m++) {
            // Sizes cross the 125-byte and 64 KiB frame-length encodings; fan-out sends the same
            // SharedText to every connection, as rooms do, and a direct send follows now and then.
            String text = m + ":" + "ü😀".repeat(m % 7 == 0 ? 11_000 : m % 3 == 0 ? 40 : 2);
            SharedText shared = new SharedText(text);
            for (Connection connection : connections) {
                boolean queued = connection instanceof AbstractConnection base ? base.send(shared) : connection.send(text);
                assertTrue(queued);
                if (m % 50 == 0) {
                    assertTrue(connection.send(m + ":direct"));
                }
            }
        }
        for (TckClient peer : peers) {
            for (int m = 0; m < messages; m++) {
                String text = peer.nextMessage(WAIT);
                assertTrue(text.startsWith(m + ":"), "message " + m + " in order: " + text.substring(0, Math.min(20, text.length())));
                assertEquals(m + ":" + "ü😀".repeat(m % 7 == 0 ? 11_000 : m % 3 == 0 ? 40 : 2), text);
                if (m % 50 == 0) {
                    assertEquals(m + ":direct", peer.nextMessage(WAIT));
                }
            }
        }
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
    void binaryFrameClosesTheConnectionWith1003() throws Exception {
        TckClient client = connect("/");
        client.sendBinary(new byte[] {1, 2, 3});
        assertEquals(CloseCodes.UNSUPPORTED_DATA, client.awaitClose(WAIT).code());
    }

    @Test
    void handlerThatThrowsClosesOnlyItsConnectionWith1011() throws Exception {
        TckClient bystander = connect("/");
        TckClient failing = connect("/");
        failing.send(RecordingHandler.THROW);
        assertEquals(CloseCodes.INTERNAL_ERROR, failing.awaitClose(WAIT).code());
        bystander.send("still here");
        assertEquals("still here", bystander.nextMessage(WAIT));
        RecordingHandler.Recorded failed = awaitTheOneClosed();
        assertTrue(failed.events.contains("error"), failed.events.toString());
    }
}
