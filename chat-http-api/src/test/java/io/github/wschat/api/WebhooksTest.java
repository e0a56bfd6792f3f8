package io.github.wschat.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhooks over real HTTP to a backend of the test's own (a JDK HttpServer on 127.0.0.1) from a real
 * chat server with real members: signed, in the room's order, retried while the backend answers 500.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "shared-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What the backend took: each request's events, in arrival order, with whether its signature held. */
    private final List<JsonNode> taken = new CopyOnWriteArrayList<>();
    private final List<Boolean> signed = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuseNext = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private HttpServer backend() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/hooks", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                boolean ok = Webhooks.verify(SECRET, exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                        exchange.getRequestHeaders().getFirst("webhook-signature"), Duration.ofMinutes(5));
                if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                signed.add(ok);
                JSON.readTree(body).get("events").forEach(taken::add);
                exchange.sendResponseHeaders(204, -1);
            }
        });
        backend.start();
        return backend;
    }

    @Test
    void theRoomsEventsReachTheBackendSignedOnceEachInOrderThroughRefusals() throws Exception {
        HttpServer backend = backend();
        refuseNext.set(2); // the first two batches are refused: they must come again, before anything later
        URI url = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/hooks");
        try (ChatServer chat = ChatServer.builder().transport("netty").host("127.0.0.1").port(0).announceJoins(true)
                .rateLimit(10_000, 10_000)
                .eventSink("webhook", Webhooks.to(url, SECRET).timeout(Duration.ofSeconds(5)).build()).start()) {
            TckClient ann = new JdkWebSocketConnector().connect(URI.create("ws://127.0.0.1:" + chat.address().getPort()
                    + "/chat/kept?nick=ann"), Map.of(), List.of());
            for (int i = 0; i < 50; i++) {
                ann.send("line " + i);
                if (i % 10 == 9) {
                    String echo = "ann: line " + i;
                    ann.nextMessageMatching(m -> m.equals(echo), WAIT);
                    TimeUnit.MILLISECONDS.sleep(300); // pacing the sender: several batches, not one
                }
            }
            await().atMost(WAIT).until(() -> texts().contains("line 49"));
            assertEquals(2, refused.get(), "two batches were refused and sent again");
            assertTrue(signed.stream().allMatch(b -> b), "every batch signed with the secret");
            Map<String, JsonNode> once = new LinkedHashMap<>();
            taken.forEach(e -> once.putIfAbsent(e.get("id").asText(), e));
            List<String> lines = new ArrayList<>();
            long last = 0;
            for (JsonNode e : once.values()) {
                long seq = e.get("event").get("seq").asLong();
                assertTrue(seq > last, "in the room's order: " + seq + " after " + last);
                last = seq;
                assertEquals("kept:" + e.get("event").get("epoch").asText() + ":" + seq, e.get("id").asText());
                if (e.get("event").get("type").asText().equals("message")) {
                    lines.add(e.get("event").get("text").asText());
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add("line " + i);
            }
            assertEquals(expected, lines, "every line, once, in order");
            assertEquals("join", once.values().iterator().next().get("event").get("type").asText());
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void aFilterKeepsOnlyItsRoomsAndKindsAndAWrongSecretDoesNotVerify() throws Exception {
        HttpServer backend = backend();
        URI url = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/hooks");
        try (ChatServer chat = ChatServer.builder().transport("netty").host("127.0.0.1").port(0).announceJoins(true)
                .rateLimit(10_000, 10_000)
                .eventSink("webhook", Webhooks.to(url, SECRET).rooms(Set.of("wanted")).kinds(Set.of("message")).build())
                .start()) {
            JdkWebSocketConnector connector = new JdkWebSocketConnector();
            TckClient other = connector.connect(URI.create("ws://127.0.0.1:" + chat.address().getPort() + "/chat/other?nick=o"),
                    Map.of(), List.of());
            TckClient wanted = connector.connect(URI.create("ws://127.0.0.1:" + chat.address().getPort() + "/chat/wanted?nick=w"),
                    Map.of(), List.of());
            other.send("not this");
            other.nextMessageMatching(m -> m.equals("o: not this"), WAIT);
            wanted.send("this");
            await().atMost(WAIT).until(() -> texts().contains("this"));
            assertEquals(List.of("this"), texts());
            assertEquals(1, taken.size(), "no join, no other room: " + taken);
        } finally {
            backend.stop(0);
        }
        byte[] body = "{\"events\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String now = Long.toString(java.time.Instant.now().getEpochSecond());
        assertFalse(Webhooks.verify(SECRET, "msg_1", now, body, "v1,AAAA", Duration.ofMinutes(5)));
        assertFalse(Webhooks.verify(SECRET, "msg_1", "12", body, "v1,AAAA", Duration.ofMinutes(5)), "an old timestamp");
    }

    private List<String> texts() {
        List<String> texts = new ArrayList<>();
        taken.forEach(e -> {
            if (e.get("event").has("text")) {
                texts.add(e.get("event").get("text").asText());
            }
        });
        return texts;
    }
}
