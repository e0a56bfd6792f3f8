package io.github.wschat.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.CuttingProxy;
import io.github.wschat.transport.javawebsocket.JavaWebSocketTransport;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against one real server, directly and through a proxy that cuts its connections. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChatClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ChatServer server(int history) throws Exception {
        ChatServer server = ChatServer.builder().transport(new JavaWebSocketTransport()).host("127.0.0.1").port(0)
                .rateLimit(10_000, 10_000).historySize(history).start();
        open.add(server);
        return server;
    }

    private static URI room(ChatServer server) {
        return URI.create("ws://127.0.0.1:" + server.address().getPort() + "/chat/room");
    }

    private CuttingProxy proxy(ChatServer server, long seed) throws Exception {
        CuttingProxy proxy = new CuttingProxy(new InetSocketAddress("127.0.0.1", server.address().getPort()), seed);
        open.add(proxy);
        return proxy;
    }

    /** A client whose events are recorded. */
    private Recorded client(URI uri, String nick) {
        Recorded recorded = new Recorded();
        ChatClient.Builder builder = ChatClient.builder(uri).listener(recorded.events::add)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200));
        if (nick != null) {
            builder.nick(nick);
        }
        recorded.client = builder.connect();
        open.add(recorded.client);
        return recorded;
    }

    static final class Recorded {
        final List<ChatEvent> events = new CopyOnWriteArrayList<>();
        ChatClient client;

        <T extends ChatEvent> List<T> of(Class<T> type) {
            List<T> found = new ArrayList<>();
            for (ChatEvent event : events) {
                if (type.isInstance(event)) {
                    found.add(type.cast(event));
                }
            }
            return found;
        }

        List<String> texts() {
            List<String> texts = new ArrayList<>();
            of(ChatEvent.Message.class).forEach(m -> texts.add(m.text()));
            return texts;
        }
    }

    @Test
    void aSendIsAcknowledgedWithThePlaceOfItsLineAndTheEventsAreTyped() throws Exception {
        ChatServer server = server(50);
        Recorded ann = client(room(server), "ann");
        ann.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Recorded bob = client(room(server), "bob");
        bob.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Ack said = ann.client.say("hello").toCompletableFuture().get(30, TimeUnit.SECONDS);
        Ack acted = ann.client.act("waves").toCompletableFuture().get(30, TimeUnit.SECONDS);
        Ack whispered = ann.client.msg("bob", "psst").toCompletableFuture().get(30, TimeUnit.SECONDS);
        Ack renamed = ann.client.rename("anna").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(Ack.NOTHING_PLACED, ann.client.rename("anna").toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertEquals("anna", ann.client.nick());
        assertEquals(List.of("anna", "bob"), ann.client.who().toCompletableFuture().get(30, TimeUnit.SECONDS).stream()
                .sorted().toList());
        await().atMost(WAIT).until(() -> !bob.of(ChatEvent.Renamed.class).isEmpty());
        ChatEvent.Message message = bob.of(ChatEvent.Message.class).get(0);
        assertEquals(new ChatEvent.Message(said.epoch(), said.sequence(), message.time(), "ann", "hello"), message);
        assertEquals(acted.sequence(), bob.of(ChatEvent.Action.class).get(0).seq());
        assertEquals(whispered.sequence(), bob.of(ChatEvent.Private.class).get(0).seq());
        assertEquals(new ChatEvent.Renamed(renamed.epoch(), renamed.sequence(),
                bob.of(ChatEvent.Renamed.class).get(0).time(), "ann", "anna"), bob.of(ChatEvent.Renamed.class).get(0));
        ChatEvent.Connected connected = ann.of(ChatEvent.Connected.class).get(0);
        assertEquals("ann", connected.nick());
        assertFalse(connected.resumed());
    }

    @Test
    void aRefusedSendFailsWithTheServersCodeAndBadSendsFailAtOnce() throws Exception {
        ChatServer server = server(50);
        Recorded ann = client(room(server), "ann");
        CompletionException refused = assertThrows(CompletionException.class,
                () -> ann.client.msg("nobody", "hi").toCompletableFuture().join());
        ChatRefusedException cause = assertInstanceOf(ChatRefusedException.class, refused.getCause());
        assertEquals("no_such_member", cause.code());
        assertThrows(IllegalArgumentException.class, () -> ann.client.say("two\nlines"));
        assertThrows(IllegalArgumentException.class, () -> ann.client.say(""));
        assertThrows(NullPointerException.class, () -> ann.client.say(null));
        assertTrue(ann.client.say("still fine").toCompletableFuture().get(30, TimeUnit.SECONDS).placed());
    }

    @Test
    void sendsWaitWhileDisconnectedUpToTheBoundThenGoOutOnceWithTheirIds() throws Exception {
        ChatServer server = server(50);
        CuttingProxy proxy = proxy(server, 1);
        Recorded watcher = client(room(server), "watcher");
        watcher.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Recorded ann = new Recorded();
        // Pings every second: the JDK's WebSocket does not always report a cut connection (CI saw one
        // unreported for 30 s), and the client's pings on silence are what find it then.
        ann.client = ChatClient.builder(proxy.through("/chat/room")).nick("ann").listener(ann.events::add)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).maxPending(5).pingInterval(Duration.ofSeconds(1))
                .connect();
        open.add(ann.client);
        ann.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        proxy.refuse(true);
        proxy.cutAll();
        await().atMost(WAIT).until(() -> !ann.client.isConnected());
        List<CompletableFuture<Ack>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(ann.client.say("queued " + i).toCompletableFuture());
        }
        CompletionException full = assertThrows(CompletionException.class,
                () -> ann.client.say("one too many").toCompletableFuture().join());
        assertInstanceOf(RejectedExecutionException.class, full.getCause());
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), "they wait while disconnected");
        proxy.refuse(false);
        for (CompletableFuture<Ack> send : waiting) {
            assertTrue(send.get(30, TimeUnit.SECONDS).placed());
        }
        await().atMost(WAIT).until(() -> watcher.texts().size() == 5);
        assertEquals(List.of("queued 0", "queued 1", "queued 2", "queued 3", "queued 4"), watcher.texts());
    }

    @Test
    void aClientAwayLongerThanTheHistoryGetsAGapAndNoDuplicates() throws Exception {
        ChatServer server = server(5);
        CuttingProxy proxy = proxy(server, 2);
        Recorded bob = client(room(server), "bob");
        bob.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Recorded ann = client(proxy.through("/chat/room"), "ann");
        ann.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        bob.client.say("before").toCompletableFuture().get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> ann.texts().contains("before"));
        proxy.refuse(true);
        proxy.cutAll();
        await().atMost(WAIT).until(() -> !ann.client.isConnected());
        await().atMost(WAIT).until(() -> !server.room("room").everyone().contains("ann"));
        for (int i = 0; i < 20; i++) {
            bob.client.say("away " + i).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        proxy.refuse(false);
        await().atMost(WAIT).until(() -> ann.texts().contains("away 19"));
        List<ChatEvent.Gap> gaps = ann.of(ChatEvent.Gap.class);
        assertEquals(1, gaps.size(), "one gap: " + ann.events);
        assertEquals(List.of("before", "away 15", "away 16", "away 17", "away 18", "away 19"), ann.texts());
        assertStrictlyIncreasing(ann);
    }

    @Test
    void aClientCutShortlyResumesWithEveryLineOnceAndInOrder() throws Exception {
        ChatServer server = server(200);
        CuttingProxy proxy = proxy(server, 3);
        Recorded bob = client(room(server), "bob");
        bob.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Recorded ann = client(proxy.through("/chat/room"), "ann");
        ann.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bob.client.say("line " + i);
            sent.add("line " + i);
            if (i % 20 == 10) {
                proxy.cutAll();
            }
        }
        await().atMost(WAIT).until(() -> ann.texts().contains("line 99"));
        assertEquals(sent, ann.texts());
        assertTrue(ann.of(ChatEvent.Gap.class).isEmpty());
        assertTrue(ann.of(ChatEvent.Connected.class).size() > 1, "it did reconnect");
        assertStrictlyIncreasing(ann);
    }

    @Test
    void closeLeavesCleanlyAndARemovedClientStopsForGood() throws Exception {
        ChatServer server = server(50);
        Recorded watcher = client(room(server), "watcher");
        watcher.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Recorded ann = client(room(server), "ann");
        ann.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        ann.client.close();
        await().atMost(WAIT).until(() -> watcher.of(ChatEvent.Left.class).stream().anyMatch(l -> l.nick().equals("ann")));
        ChatEvent.Disconnected last = (ChatEvent.Disconnected) ann.events.get(ann.events.size() - 1);
        assertFalse(last.reconnecting());
        assertThrows(CompletionException.class, () -> ann.client.say("after close").toCompletableFuture().join());

        Recorded eve = client(room(server), "eve");
        eve.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        server.room("room").kick("eve", "spamming").toCompletableFuture().get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !eve.of(ChatEvent.Disconnected.class).isEmpty());
        ChatEvent.Disconnected removed = eve.of(ChatEvent.Disconnected.class).get(0);
        assertEquals(4001, removed.code());
        assertFalse(removed.reconnecting());
        assertThrows(CompletionException.class, () -> eve.client.say("after removal").toCompletableFuture().join());
    }

    @Test
    void theBackoffDoublesFromTheInitialDelayUpToTheMaximumWithJitter() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Recorded lost = new Recorded();
        lost.client = ChatClient.builder(URI.create("ws://127.0.0.1:" + port + "/chat"))
                .listener(lost.events::add).backoff(Duration.ofMillis(100), Duration.ofMillis(400)).connect();
        open.add(lost.client);
        ClientEngine engine = new ClientEngine(new ClientSettings(List.of(URI.create("ws://x")), null, e -> { },
                Duration.ofMillis(100), Duration.ofMillis(400), 10, Duration.ofSeconds(1), Duration.ZERO, null), null);
        for (int n = 0; n < 8; n++) {
            long full = Math.min(400, 100L << n);
            for (int k = 0; k < 50; k++) {
                long delay = engine.backoff(n).toMillis();
                assertTrue(delay >= full / 2 && delay <= full, "attempt " + n + ": " + delay + " ms of " + full);
            }
        }
        await().atMost(WAIT).until(() -> lost.of(ChatEvent.Disconnected.class).size() >= 4);
        assertTrue(lost.of(ChatEvent.Disconnected.class).stream().allMatch(ChatEvent.Disconnected::reconnecting),
                "a refused connection is tried again");
    }

    private static void assertStrictlyIncreasing(Recorded recorded) {
        String epoch = null;
        long last = 0;
        for (ChatEvent event : recorded.events) {
            if (event instanceof ChatEvent.Placed placed) {
                if (placed.epoch().equals(epoch)) {
                    assertTrue(placed.seq() > last, "no event twice: " + placed + " after " + last);
                }
                epoch = placed.epoch();
                last = placed.seq();
            }
        }
    }
}
