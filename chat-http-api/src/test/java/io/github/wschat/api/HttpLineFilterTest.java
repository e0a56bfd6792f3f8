package io.github.wschat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The line filter that asks a backend over HTTP, against a backend of the test's own (a JDK HttpServer
 * on 127.0.0.1) that accepts, rewrites, refuses, answers late, answers 500 — through a real chat server
 * and real WebSocket members on the JSON protocol.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpLineFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "hook-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final AtomicInteger calls = new AtomicInteger();
    private final List<Boolean> signed = new CopyOnWriteArrayList<>();
    private final List<JsonNode> questions = new CopyOnWriteArrayList<>();

    /** A backend that decides by the line's text; {@code failing} answers 500 to everything. */
    private HttpServer backend(boolean failing) throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        backend.createContext("/filter", exchange -> {
            try (exchange) {
                calls.incrementAndGet();
                byte[] body = exchange.getRequestBody().readAllBytes();
                signed.add(Webhooks.verify(SECRET, exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                        exchange.getRequestHeaders().getFirst("webhook-signature"), Duration.ofMinutes(5)));
                JsonNode question = JSON.readTree(body);
                questions.add(question);
                if (failing) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                String text = question.get("line").get("text").asText();
                String answer;
                if (text.contains("spam")) {
                    answer = "{\"verdict\":\"refuse\",\"reason\":\"no spam here\"}";
                } else if (text.contains("darn")) {
                    answer = "{\"verdict\":\"rewrite\",\"text\":\"" + text.replace("darn", "d**n") + "\"}";
                } else {
                    if (text.contains("slow")) {
                        sleep(2_500); // the backend is late: past the filter's timeout
                    } else if (text.contains("wait")) {
                        sleep(300); // late, within the timeout: the sender's next line waits behind it
                    }
                    answer = "{\"verdict\":\"accept\"}";
                }
                byte[] out = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, out.length);
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        });
        backend.start();
        return backend;
    }

    @Test
    void theBackendAcceptsRewritesAndRefusesAndALateAnswerRefusesOnlyThatLineInTheSendersOrder() throws Exception {
        HttpServer backend = backend(false);
        URI url = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/filter");
        try (ChatServer chat = ChatServer.builder().transport("netty").host("127.0.0.1").port(0).announceJoins(false).rateLimit(10_000, 10_000)
                .lineFilter(HttpLineFilter.to(url, SECRET).timeout(Duration.ofSeconds(1)).build()).start()) {
            TckClient ann = member(chat, "ann");
            TckClient bob = member(chat, "bob");
            for (String text : List.of("first, wait", "second", "no spam please", "well darn", "too slow")) {
                ann.send("{\"type\":\"say\",\"text\":\"" + text + "\"}");
            }
            ann.send("{\"type\":\"say\",\"text\":\"last\"}");
            assertEquals("first, wait", nextText(bob));
            assertEquals("second", nextText(bob), "the sender's order, though the first waited for its verdict");
            assertEquals("well d**n", nextText(bob));
            assertEquals("last", nextText(bob), "refused lines reach no one");
            List<String> errors = new java.util.ArrayList<>();
            while (errors.size() < 2) {
                JsonNode frame = JSON.readTree(ann.nextMessage(WAIT));
                if (frame.get("type").asText().equals("error")) {
                    errors.add(frame.get("code").asText() + ": " + frame.get("text").asText());
                }
            }
            assertTrue(errors.get(0).equals("refused: no spam here"), errors.toString());
            assertTrue(errors.get(1).startsWith("refused: ") && errors.get(1).contains("could not be checked"), errors.toString());
            assertTrue(signed.stream().allMatch(b -> b), "every question signed");
            JsonNode q = questions.get(0);
            assertEquals("ann", q.get("sender").get("nick").asText());
            assertEquals("lobby", q.get("room").asText());
            assertEquals("message", q.get("line").get("kind").asText());
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void aFailingBackendOpensTheBreakerAndLinesAreRefusedAtOnceOrAcceptedWhenFailingOpen() throws Exception {
        HttpServer backend = backend(true);
        URI url = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/filter");
        try (ChatServer closed = ChatServer.builder().transport("netty").host("127.0.0.1").port(0).announceJoins(false).rateLimit(10_000, 10_000)
                .lineFilter(HttpLineFilter.to(url, SECRET).breaker(2, Duration.ofMinutes(1)).build()).start()) {
            TckClient ann = member(closed, "ann");
            for (int i = 0; i < 6; i++) { // one at a time: lines checked together would all be asked
                ann.send("{\"type\":\"say\",\"text\":\"line " + i + "\"}");
                JsonNode frame = JSON.readTree(ann.nextMessage(WAIT));
                assertEquals("error", frame.get("type").asText(), "nothing placed: " + frame);
                assertTrue(frame.get("text").asText().contains("could not be checked"), frame.toString());
            }
            assertEquals(2, calls.get(), "after two failures the backend is not asked");
        }
        try (ChatServer open = ChatServer.builder().transport("netty").host("127.0.0.1").port(0).announceJoins(false).rateLimit(10_000, 10_000)
                .lineFilter(HttpLineFilter.to(url, SECRET).failOpen().build()).start()) {
            TckClient ann = member(open, "ann");
            ann.send("{\"type\":\"say\",\"text\":\"unchecked\"}");
            assertEquals("unchecked", nextText(ann), "failing open, the line goes through");
        } finally {
            backend.stop(0);
        }
    }

    private static TckClient member(ChatServer chat, String nick) throws Exception {
        TckClient client = new JdkWebSocketConnector().connect(URI.create("ws://127.0.0.1:" + chat.address().getPort()
                + "/chat?nick=" + nick), Map.of(), List.of("wschat.v1.json"));
        client.nextMessageMatching(m -> m.contains("\"welcome\""), WAIT);
        return client;
    }

    /** The text of the next message event this client gets. */
    private static String nextText(TckClient client) throws Exception {
        while (true) {
            JsonNode frame = JSON.readTree(client.nextMessage(WAIT));
            if (frame.get("type").asText().equals("message")) {
                return frame.get("text").asText();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
