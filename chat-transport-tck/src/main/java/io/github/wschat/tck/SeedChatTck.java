package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.CloseCodes;
import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transport;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's chat, end to end over real sockets, on the transport under test: a transport proves the
 * whole chat works on it by extending this class (and {@link ChatUnderAbuseTck}, {@link
 * ChatFeaturesTck}) with {@link #transport()}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SeedChatTck {

    /**
     * The transport under test; a new instance or a shared one.
     *
     * @return the transport
     */
    protected abstract Transport transport();

    /** A chat server on the transport under test, on 127.0.0.1 and a free port, speaking exactly the seed's lines. */
    private ChatServer.Builder seedChat() {
        return ChatServer.builder().transport(transport()).host("127.0.0.1").port(0).historySize(0).announceJoins(false);
    }


    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern LINE = Pattern.compile("(user-\\d{1,5}): (.*)");

    private final JdkWebSocketConnector connector = new JdkWebSocketConnector();
    private ChatServer server;

    @BeforeEach
    void start() throws Exception {
        server = seedChat().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * Connects and waits until the server has made the client a member: the client's handshake can
     * complete before the server has run the connection's open handler.
     */
    private TckClient connect(String path) throws HandshakeRefusedException {
        InetSocketAddress address = server.address();
        int members = server.memberCount();
        TckClient client = connector.connect(URI.create("ws://127.0.0.1:" + address.getPort() + path), Map.of(), List.of());
        awaitMembers(server, members + 1);
        return client;
    }

    private static void awaitMembers(ChatServer chat, int count) {
        await().atMost(WAIT).until(() -> chat.memberCount() == count);
    }

    /** Sends a line and learns the sender's nickname from what everyone receives. */
    private static String say(TckClient sender, String text, List<TckClient> room) {
        sender.send(text);
        String nick = null;
        for (TckClient member : room) {
            Matcher line = LINE.matcher(member.nextMessage(WAIT));
            assertTrue(line.matches(), line.toString());
            assertEquals(text, line.group(2));
            if (nick == null) {
                nick = line.group(1);
            }
            assertEquals(nick, line.group(1));
        }
        return nick;
    }

    @Test
    void threeClientsOnSlashAndChatSeeTheSeedsLinesAndTheLeave() throws Exception {
        TckClient a = connect("/");
        TckClient b = connect("/chat");
        TckClient c = connect("/");
        List<TckClient> all = List.of(a, b, c);
        String nickA = say(a, "hello from a", all);
        String nickB = say(b, "hi, b here", all);
        String nickC = say(c, "c: 漢字 and 😀", all);
        assertEquals(3, List.of(nickA, nickB, nickC).stream().distinct().count(), "nicknames are unique");

        b.close(CloseCodes.NORMAL, "");
        assertEquals(" .... " + nickB + " has left.", a.nextMessage(WAIT));
        assertEquals(" .... " + nickB + " has left.", c.nextMessage(WAIT));
        say(a, "still here", List.of(a, c));
    }

    @Test
    void fiftyClientsSendingTwoHundredLinesEachAllSeeOneOrder() throws Exception {
        int clients = 50;
        int lines = 200;
        // Ordering, not the rate limit, is under test: each client sends as fast as it can.
        server.close();
        server = seedChat().rateLimit(1_000_000, 1_000_000).start();
        List<TckClient> room = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            room.add(connect("/chat"));
        }
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                TckClient client = room.get(i);
                int sender = i;
                sending.add(CompletableFuture.runAsync(() -> {
                    for (int k = 0; k < lines; k++) {
                        client.send(sender + "/" + k);
                    }
                }, senders));
            }
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            senders.shutdownNow();
        }
        List<String> first = room.get(0).nextMessages(clients * lines, Duration.ofSeconds(60));
        int[] next = new int[clients];
        for (String line : first) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), line);
            String[] parts = m.group(2).split("/");
            int sender = Integer.parseInt(parts[0]);
            assertEquals(next[sender]++, Integer.parseInt(parts[1]), "sender " + sender + " out of order");
        }
        for (int i = 1; i < clients; i++) {
            assertEquals(first, room.get(i).nextMessages(clients * lines, Duration.ofSeconds(60)), "client " + i);
        }
    }

    @Test
    void aMessageOverSixtyFourKibClosesItsSenderWith1009AndTheRoomGoesOn() throws Exception {
        TckClient a = connect("/");
        TckClient big = connect("/");
        String nickBig = say(big, "about to overdo it", List.of(a, big));
        big.send("x".repeat(64 * 1024 + 1));
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, big.awaitClose(WAIT).code());
        assertEquals(" .... " + nickBig + " has left.", a.nextMessage(WAIT));
        say(a, "x".repeat(64 * 1024 - 1), List.of(a));
    }

    @Test
    void aBrowserFromAnOriginNotAllowedIsRefusedWith403() throws Exception {
        try (ChatServer guarded = seedChat()
                .allowedOrigins(List.of("http://good.example:8080")).start()) {
            URI uri = URI.create("ws://127.0.0.1:" + guarded.address().getPort() + "/chat");
            HandshakeRefusedException refused = assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri, Map.of("Origin", "http://evil.example"), List.of()));
            assertEquals(403, refused.status());
            TckClient browser = connector.connect(uri, Map.of("Origin", "http://good.example:8080"), List.of());
            TckClient tool = connector.connect(uri, Map.of(), List.of());
            awaitMembers(guarded, 2);
            say(browser, "allowed", List.of(browser, tool));
            assertEquals(2, guarded.memberCount());
        }
    }

    @Test
    void connectionsOverTheServerLimitAre503AndOverTheAddressLimit429() throws Exception {
        try (ChatServer small = seedChat()
                .maxConnections(2).maxConnectionsPerAddress(10).start()) {
            URI uri = URI.create("ws://127.0.0.1:" + small.address().getPort() + "/");
            TckClient first = connector.connect(uri, Map.of(), List.of());
            connector.connect(uri, Map.of(), List.of());
            awaitMembers(small, 2);
            assertEquals(503, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri, Map.of(), List.of())).status());
            first.close(CloseCodes.NORMAL, "");
            first.awaitClose(WAIT);
            await().atMost(WAIT).until(() -> small.memberCount() == 1);
            connector.connect(uri, Map.of(), List.of());
        }
        try (ChatServer perAddress = seedChat()
                .maxConnections(10).maxConnectionsPerAddress(2).start()) {
            URI uri = URI.create("ws://127.0.0.1:" + perAddress.address().getPort() + "/");
            connector.connect(uri, Map.of(), List.of());
            connector.connect(uri, Map.of(), List.of());
            awaitMembers(perAddress, 2);
            assertEquals(429, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri, Map.of(), List.of())).status());
        }
    }

    @Test
    void aFloodIsThrottledThenClosedWith1008WhileTheRoomKeepsEveryAcceptedLineInOrder() throws Exception {
        // 10 lines a second: a flood of 25x that fills the guard's refusals in about a second (at 5x it
        // takes seven, which FloodGuardTest shows on a clock of its own).
        try (ChatServer limited = seedChat().rateLimit(10, 10).start()) {
            URI uri = URI.create("ws://127.0.0.1:" + limited.address().getPort() + "/");
            TckClient bystander = connector.connect(uri, Map.of(), List.of());
            TckClient flooder = connector.connect(uri, Map.of(), List.of());
            awaitMembers(limited, 2);
            String nick = say(flooder, "hello", List.of(bystander, flooder));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int sent = 0;
            // 250 lines a second, until the server closes the flooder.
            while (!flooder.isClosed() && sent < 5000 && System.nanoTime() < deadline) {
                try {
                    flooder.send("flood " + sent++);
                } catch (CompletionException closedMeanwhile) {
                    break;
                }
                if (sent % 25 == 0) {
                    Thread.sleep(100); // pacing the load, not waiting for a condition
                }
            }
            assertEquals(CloseCodes.POLICY_VIOLATION, flooder.awaitClose(WAIT).code());
            List<String> heard = new ArrayList<>();
            for (String line = bystander.nextMessage(WAIT); !line.startsWith(" .... "); line = bystander.nextMessage(WAIT)) {
                heard.add(line);
            }
            assertTrue(heard.size() < sent / 2, "throttled: " + heard.size() + " of " + sent);
            int last = -1;
            for (String line : heard) {
                int n = Integer.parseInt(line.substring((nick + ": flood ").length()));
                assertTrue(n > last, "in order");
                last = n;
            }
            say(bystander, "the room goes on", List.of(bystander));
        }
    }

    @Test
    void aMemberThatStopsReadingIsDroppedAndTheOthersGetEveryLineInOrder() throws Exception {
        try (ChatServer budgeted = seedChat()
                .rateLimit(1_000_000, 1_000_000).maxQueuedBytes(1024 * 1024).start()) {
            URI uri = URI.create("ws://127.0.0.1:" + budgeted.address().getPort() + "/");
            TckClient bystander = connector.connect(uri, Map.of(), List.of());
            TckClient sender = connector.connect(uri, Map.of(), List.of());
            try (Socket stalled = RawWebSocket.open(budgeted.address().getPort(), "/")) {
                await().atMost(WAIT).until(() -> budgeted.memberCount() == 3);
                String padding = "p".repeat(60_000);
                int sent = 0;
                String leave = null;
                // The stalled member never reads: once the kernel's buffers and its 1 MiB budget are
                // full, it is dropped and its leave is announced.
                while (leave == null && sent < 2000) {
                    sender.send(sent + " " + padding);
                    String line = bystander.nextMessage(WAIT);
                    if (line.startsWith(" .... ")) {
                        leave = line;
                        line = bystander.nextMessage(WAIT);
                    }
                    assertEquals(sent, Integer.parseInt(line.substring(line.indexOf(' ') + 1, line.lastIndexOf(' '))));
                    sender.nextMessage(WAIT);
                    sent++;
                }
                assertTrue(leave != null && leave.matches(" \\.\\.\\.\\. user-\\d+ has left\\."), "leave: " + leave);
                await().atMost(WAIT).until(() -> budgeted.memberCount() == 2);
            }
        }
    }

    @Test
    void aPathThatNamesNoRoomIsRefused() {
        HandshakeRefusedException refused = assertThrows(HandshakeRefusedException.class, () -> connect("/nowhere"));
        assertEquals(404, refused.status());
        assertEquals(400, assertThrows(HandshakeRefusedException.class, () -> connect("/chat/no%20spaces")).status(),
                "a bad room name is told apart from a wrong path");
    }

    @Test
    void emptyMessagesAreIgnoredAndBinaryFramesClose1003() throws Exception {
        TckClient a = connect("/");
        a.send("");
        a.send("two\nlines\u0000");
        Matcher first = LINE.matcher(a.nextMessage(WAIT));
        assertTrue(first.matches());
        assertEquals("two", first.group(2));
        assertEquals(first.group(1) + ": lines", a.nextMessage(WAIT));
        a.sendBinary(new byte[] {0});
        assertEquals(CloseCodes.UNSUPPORTED_DATA, a.awaitClose(WAIT).code());
    }

    @Test
    void closingTheServerSays1001ToEveryone() throws Exception {
        TckClient a = connect("/");
        TckClient b = connect("/chat/other");
        server.close();
        assertEquals(CloseCodes.GOING_AWAY, a.awaitClose(WAIT).code());
        assertEquals(CloseCodes.GOING_AWAY, b.awaitClose(WAIT).code());
        await().atMost(WAIT).until(() -> server.memberCount() == 0 && server.roomCount() == 0);
    }
}
