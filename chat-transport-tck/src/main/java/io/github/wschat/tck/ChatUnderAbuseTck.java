package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transport;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits and access checks that need a whole chat server over real sockets: each test attacks one
 * and checks both what the offender sees and that everyone else keeps every line, in order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public abstract class ChatUnderAbuseTck {

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


    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LINE = Pattern.compile("(user-\\d{1,5}|[\\w.-]+): (.*)");

    private final JdkWebSocketConnector connector = new JdkWebSocketConnector();

    private static URI uri(ChatServer server, String target) {
        return URI.create("ws://127.0.0.1:" + server.address().getPort() + target);
    }

    private TckClient member(ChatServer server, String target) throws HandshakeRefusedException {
        int before = server.memberCount();
        TckClient client = connector.connect(uri(server, target), Map.of(), List.of());
        await().atMost(WAIT).until(() -> server.memberCount() > before);
        return client;
    }

    @Test
    void aPeerThatNeverAnswersPingsIsClosedAndAnnouncedWhileTheRoomChatsOn() throws Exception {
        try (ChatServer server = seedChat()
                .pingInterval(Duration.ofSeconds(1)).rateLimit(1_000_000, 1_000_000).start()) {
            TckClient ann = member(server, "/");
            TckClient bob = member(server, "/");
            try (Socket silent = RawWebSocket.open(server.address().getPort(), "/")) {
                await().atMost(WAIT).until(() -> server.memberCount() == 3);
                // The JDK's client answers every ping by itself; the raw socket never does. Ann chats
                // (bounded in lines and time) until the server gives up on the silent peer.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                int sent = 0;
                String leave = null;
                while (leave == null && sent < 100_000 && System.nanoTime() < deadline) {
                    ann.send("line " + sent);
                    for (TckClient member : List.of(ann, bob)) {
                        String line = member.nextMessage(WAIT);
                        if (line.startsWith(" .... ")) {
                            leave = line;
                            line = member.nextMessage(WAIT);
                        }
                        assertTrue(line.endsWith(": line " + sent), line);
                    }
                    sent++;
                }
                assertTrue(leave != null && leave.matches(" \\.\\.\\.\\. user-\\d+ has left\\."), "leave: " + leave);
                assertEquals(2, server.memberCount());
            }
        }
    }

    @Test
    void aTokenAuthenticatorRefusesStrangersWith401AndNamesItsUsers() throws Exception {
        Map<String, String> users = Map.of("s3cret-ann", "ann", "s3cret-bob", "bob");
        try (ChatServer server = seedChat()
                .authenticator(handshake -> handshake.queryParameter("token")
                        .map(users::get)
                        .map(Authentication::acceptAs)
                        .orElse(Authentication.refuse(401, "a valid token is required")))
                .start()) {
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri(server, "/chat"), Map.of(), List.of())).status());
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri(server, "/chat?token=guess"), Map.of(), List.of())).status());
            TckClient ann = member(server, "/chat?token=s3cret-ann");
            TckClient bob = member(server, "/chat?token=s3cret-bob");
            assertEquals(409, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri(server, "/chat?token=s3cret-ann"), Map.of(), List.of())).status(),
                    "a second connection under a nickname in use");
            ann.send("hi bob");
            assertEquals("ann: hi bob", bob.nextMessage(WAIT));
            assertEquals("ann: hi bob", ann.nextMessage(WAIT));
            assertEquals(2, server.memberCount());
        }
    }

    /** Every refusal reaches the client with its own status, through TLS as over plain sockets. */
    @ParameterizedTest(name = "over TLS: {0}")
    @ValueSource(booleans = {false, true})
    void everyRefusalKeepsItsStatus(boolean overTls, @TempDir Path dir) throws Exception {
        SelfSignedKeystore keystore = SelfSignedKeystore.generate(dir);
        ChatServer.Builder builder = seedChat()
                .allowedOrigins(List.of("https://localhost:8443"))
                .maxConnectionsPerAddress(2)
                .maxRooms(1)
                .authenticator(handshake -> handshake.queryParameter("token").filter("t"::equals).isPresent()
                        ? Authentication.accept() : Authentication.refuse(401, "a token is required"));
        if (overTls) {
            builder.tls(keystore.file(), keystore.password().toCharArray());
        }
        try (ChatServer server = builder.start()) {
            JdkWebSocketConnector client = overTls ? new JdkWebSocketConnector(keystore.trustingClientContext())
                    : connector;
            String base = (overTls ? "wss" : "ws") + "://localhost:" + server.address().getPort();
            client.connect(URI.create(base + "/chat?token=t&nick=ann"), Map.of(), List.of());
            await().atMost(WAIT).until(() -> server.memberCount() == 1);
            Map<String, Integer> refusals = new java.util.LinkedHashMap<>();
            refusals.put("/chat/bad!name?token=t", 400);
            refusals.put("/nowhere?token=t", 404);
            refusals.put("/chat", 401);
            refusals.put("/chat?token=t&nick=ann", 409);
            refusals.put("/chat/another-room?token=t", 503);
            refusals.forEach((target, status) -> assertEquals(status, assertThrows(HandshakeRefusedException.class,
                    () -> client.connect(URI.create(base + target), Map.of(), List.of())).status(), target));
            assertEquals(403, assertThrows(HandshakeRefusedException.class, () -> client.connect(
                    URI.create(base + "/chat?token=t"), Map.of("Origin", "https://evil.example"), List.of())).status());
            client.connect(URI.create(base + "/chat?token=t"), Map.of(), List.of());
            await().atMost(WAIT).until(() -> server.memberCount() == 2);
            assertEquals(429, assertThrows(HandshakeRefusedException.class,
                    () -> client.connect(URI.create(base + "/chat?token=t"), Map.of(), List.of())).status(),
                    "a third connection from one address");
            assertEquals(2, server.memberCount(), "no refusal made a member");
        }
    }

    @Test
    void overTlsTheSeedsChatWorksOnWss(@TempDir Path dir) throws Exception {
        SelfSignedKeystore keystore = SelfSignedKeystore.generate(dir);
        try (ChatServer server = seedChat()
                .allowedOrigins(List.of("https://localhost:8443"))
                .tls(keystore.file(), keystore.password().toCharArray()).start()) {
            JdkWebSocketConnector tls = new JdkWebSocketConnector(keystore.trustingClientContext());
            URI wss = URI.create("wss://localhost:" + server.address().getPort() + "/chat");
            assertEquals(403, assertThrows(HandshakeRefusedException.class,
                    () -> tls.connect(wss, Map.of("Origin", "https://evil.example"), List.of())).status(),
                    "a refusal keeps its status through TLS");
            TckClient ann = tls.connect(wss, Map.of(), List.of());
            await().atMost(WAIT).until(() -> server.memberCount() == 1);
            TckClient bob = tls.connect(wss, Map.of(), List.of());
            await().atMost(WAIT).until(() -> server.memberCount() == 2);
            ann.send("over TLS ✓");
            Matcher line = LINE.matcher(bob.nextMessage(WAIT));
            assertTrue(line.matches(), line.toString());
            assertEquals("over TLS ✓", line.group(2));
            assertEquals(line.group(0), ann.nextMessage(WAIT), "the sender hears its own line");
            bob.close(1000, "");
            String leave = ann.nextMessage(WAIT);
            assertTrue(leave.matches(" \\.\\.\\.\\. user-\\d+ has left\\.") && !leave.contains(line.group(1) + " "), leave);
        }
    }

    @Test
    void aHandshakeThatWouldCreateOneRoomTooManyIs503() throws Exception {
        try (ChatServer server = seedChat().maxRooms(1).start()) {
            TckClient first = member(server, "/chat/one");
            assertEquals(503, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri(server, "/chat/two"), Map.of(), List.of())).status());
            TckClient second = member(server, "/chat/one");
            first.send("room one still open");
            assertTrue(second.nextMessage(WAIT).endsWith(": room one still open"));
        }
    }

    @Test
    void killingAHundredOfFiveHundredClientsMidBroadcastLosesNoLineForTheOthers() throws Exception {
        int clients = 500;
        int senders = 10;
        int linesEach = 50;
        int victims = 100;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (ChatServer server = seedChat()
                .maxConnectionsPerAddress(clients).rateLimit(1_000_000, 1_000_000).start()) {
            List<TckClient> room = connectAll(server, clients);
            await().atMost(WAIT).until(() -> server.memberCount() == clients);
            List<Integer> others = new ArrayList<>();
            for (int i = senders; i < clients; i++) {
                others.add(i);
            }
            Collections.shuffle(others, random);
            List<Integer> doomed = others.subList(0, victims);

            ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
            try {
                List<CompletableFuture<Void>> work = new ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    TckClient sender = room.get(s);
                    int id = s;
                    work.add(CompletableFuture.runAsync(() -> {
                        for (int n = 0; n < linesEach; n++) {
                            sender.send(id + " " + n);
                        }
                    }, pool));
                }
                work.add(CompletableFuture.runAsync(() -> doomed.forEach(i -> room.get(i).abort()), pool));
                CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }

            List<String> reference = null;
            for (int i = 0; i < clients; i++) {
                if (doomed.contains(i)) {
                    continue;
                }
                List<String> heard = messagesOf(room.get(i), senders * linesEach);
                assertInSenderOrder(heard, senders, "client " + i + " (seed " + seed + ")");
                if (reference == null) {
                    reference = heard;
                } else {
                    assertEquals(reference, heard, "client " + i + " saw another order (seed " + seed + ")");
                }
            }
            await().atMost(WAIT).until(() -> server.memberCount() == clients - victims);
        }
    }

    private List<TckClient> connectAll(ChatServer server, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<TckClient>> opening = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                opening.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return connector.connect(uri(server, "/"), Map.of(), List.of());
                    } catch (HandshakeRefusedException e) {
                        throw new AssertionError(e);
                    }
                }, pool));
            }
            List<TckClient> clients = new ArrayList<>();
            for (CompletableFuture<TckClient> f : opening) {
                clients.add(f.get(60, TimeUnit.SECONDS));
            }
            return clients;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The next {@code count} chat lines a client gets, as "sender n", skipping leave announcements. */
    private static List<String> messagesOf(TckClient client, int count) {
        List<String> heard = new ArrayList<>(count);
        while (heard.size() < count) {
            String line = client.nextMessage(WAIT);
            if (!line.startsWith(" .... ")) {
                Matcher m = LINE.matcher(line);
                assertTrue(m.matches(), line);
                heard.add(m.group(2));
            }
        }
        return heard;
    }

    private static void assertInSenderOrder(List<String> heard, int senders, String who) {
        int[] next = new int[senders];
        for (String line : heard) {
            String[] parts = line.split(" ");
            int sender = Integer.parseInt(parts[0]);
            assertEquals(next[sender]++, Integer.parseInt(parts[1]), who + ": sender " + sender + " out of order");
        }
    }
}
