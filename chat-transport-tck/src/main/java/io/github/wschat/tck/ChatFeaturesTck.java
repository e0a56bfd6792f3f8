package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** History, presence and the JSON protocol over real sockets, with the server's defaults. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ChatFeaturesTck {

    /**
     * The transport under test; a new instance or a shared one.
     *
     * @return the transport
     */
    protected abstract Transport transport();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final JdkWebSocketConnector connector = new JdkWebSocketConnector();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void joinersGetHistoryThenLiveEventsWithNoGapAndNoDuplicateWhileSomeoneSends() throws Exception {
        int joiners = 6;
        int maxLines = 1_000_000;
        try (ChatServer server = ChatServer.builder().transport(transport()).host("127.0.0.1").port(0)
                .rateLimit(1_000_000, 1_000_000).historySize(50).start()) {
            URI room = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/chat/seam");
            TckClient sender = connector.connect(room, Map.of(), List.of());
            await().atMost(WAIT).until(() -> server.memberCount() == 1);
            AtomicInteger sent = new AtomicInteger();
            AtomicBoolean allJoined = new AtomicBoolean();
            // Lines flow until every joiner is a member, then 1,000 more: the joins happen mid-stream
            // however fast the server is, and every joiner gets live lines after its history.
            CompletableFuture<Integer> sending = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                int last = maxLines;
                while (n < last) {
                    sender.send(Integer.toString(n++));
                    sent.set(n);
                    if (n % 100 == 0) {
                        sender.nextMessages(100, WAIT); // its own lines back: at most ~100 in flight
                    }
                    if (last == maxLines && allJoined.get()) {
                        last = Math.min(maxLines, n + 1000);
                    }
                }
                return n;
            });
            List<TckClient> late = new ArrayList<>();
            List<JsonNode> welcomes = new ArrayList<>();
            try {
                await().atMost(WAIT).until(() -> sent.get() >= 100);
                for (int j = 0; j < joiners; j++) {
                    late.add(connector.connect(room, Map.of(), List.of(JsonFormat.SUBPROTOCOL)));
                }
                // A joiner is in the room once its welcome came (sent as it joins, under the room's lock);
                // the member count counts names, which are taken a moment before.
                for (TckClient joiner : late) {
                    welcomes.add(json.readTree(joiner.nextMessage(WAIT)));
                }
            } finally {
                allJoined.set(true);
            }
            int lines = sending.get(60, TimeUnit.SECONDS);
            assertTrue(lines < maxLines, "the joins happened while lines were flowing");
            for (int j = 0; j < joiners; j++) {
                assertEquals(JsonFormat.SUBPROTOCOL, late.get(j).subprotocol());
                assertTrue(assertSeamless(late.get(j), welcomes.get(j), lines) >= 1000, "live lines after the history");
            }
        }
    }

    /**
     * Reads a JSON client's welcome and events until the last line, checking one unbroken sequence;
     * returns how many lines came live, after the history.
     */
    private int assertSeamless(TckClient joiner, JsonNode welcome, int lines) throws Exception {
        assertEquals("welcome", welcome.get("type").asText());
        List<JsonNode> events = new ArrayList<>();
        welcome.get("history").forEach(events::add);
        int historyLength = events.size();
        assertTrue(historyLength <= 50, "history holds at most 50 events");
        while (events.stream().noneMatch(event -> isLastLine(event, lines))) {
            events.add(json.readTree(joiner.nextMessage(WAIT)));
        }
        long expectedSeq = events.get(0).get("seq").asLong();
        int expectedLine = -1;
        for (JsonNode event : events) {
            assertEquals(expectedSeq++, event.get("seq").asLong(), "seq unbroken across the seam: " + event);
            if (event.get("type").asText().equals("message")) {
                int n = Integer.parseInt(event.get("text").asText());
                assertTrue(expectedLine < 0 || n == expectedLine, "line " + n + " after " + (expectedLine - 1));
                expectedLine = n + 1;
            }
        }
        assertEquals(lines, expectedLine, "every line up to the last");
        return (int) events.subList(historyLength, events.size()).stream()
                .filter(event -> event.get("type").asText().equals("message")).count();
    }

    private static boolean isLastLine(JsonNode event, int lines) {
        return event.get("type").asText().equals("message") && event.get("text").asText().equals(Integer.toString(lines - 1));
    }

    @Test
    void aJsonClientChatsWithAPlainOneAndAMalformedFrameOnlyGetsAnError() throws Exception {
        try (ChatServer server = ChatServer.builder().transport(transport()).host("127.0.0.1").port(0).start()) {
            URI lobby = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/chat");
            TckClient plain = connector.connect(lobby, Map.of(), List.of());
            await().atMost(WAIT).until(() -> server.memberCount() == 1);
            TckClient rich = connector.connect(URI.create(lobby + "?nick=rita"), Map.of(),
                    List.of("chat.unknown", JsonFormat.SUBPROTOCOL));
            JsonNode welcome = json.readTree(rich.nextMessage(WAIT));
            assertEquals("rita", welcome.get("nick").asText());
            assertEquals(2, welcome.get("members").size());
            assertEquals("join", json.readTree(rich.nextMessage(WAIT)).get("type").asText());
            assertTrue(plain.nextMessage(WAIT).matches(" \\.\\.\\.\\. user-\\d+ has joined\\."), "its own join first");
            assertEquals(" .... rita has joined.", plain.nextMessage(WAIT));

            rich.send("{\"type\":\"say\"");
            JsonNode error = json.readTree(rich.nextMessage(WAIT));
            assertEquals("error", error.get("type").asText());
            assertEquals("malformed", error.get("code").asText());
            rich.send("{\"type\":\"say\",\"text\":\"hi from JSON\"}");
            assertEquals("rita: hi from JSON", plain.nextMessage(WAIT));
            JsonNode own = json.readTree(rich.nextMessage(WAIT));
            assertEquals("rita", own.get("from").asText(), "the sender gets its own line too");
            plain.send("hi from plain");
            JsonNode message = json.readTree(rich.nextMessage(WAIT));
            assertEquals("message", message.get("type").asText());
            assertEquals("hi from plain", message.get("text").asText());
        }
    }
}
