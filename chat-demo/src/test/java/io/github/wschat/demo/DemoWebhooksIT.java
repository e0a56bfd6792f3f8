package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.wschat.api.Webhooks;
import io.github.wschat.broker.redis.RedisServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Webhooks from three demo jars on one real Redis to one backend, one node SIGKILLed mid-stream: every
 * event a reader saw reaches the backend at least once, and deduplicated by id (keeping the first) the
 * backend holds exactly what the reader saw, in the room's order, every request signed; and a notice
 * POSTed to the API of each of the three nodes with one Idempotency-Key is placed once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoWebhooksIT {

    private static final Pattern WEBSOCKET = Pattern.compile("\\s*websocket: (ws://\\S+/chat) \\(netty\\)");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "shared-secret-0123456789";
    private static final String API_KEY = "backend-key-0123456789";
    private static final Pattern PAGE = Pattern.compile("\\s*chat page: (http://\\S+/)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyEventTheRoomDeliveredReachesTheBackendThroughANodesDeath() throws Exception {
        RedisServer.requireInstalled();
        Path jar = Path.of("target", "chat-demo.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package makes " + jar);
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        List<Boolean> signed = new CopyOnWriteArrayList<>();
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        backend.createContext("/hooks", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                signed.add(Webhooks.verify(SECRET, exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                        exchange.getRequestHeaders().getFirst("webhook-signature"), Duration.ofMinutes(5)));
                JSON.readTree(body).get("events").forEach(received::add);
                exchange.sendResponseHeaders(204, -1);
            }
        });
        backend.start();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> nodes = new ArrayList<>();
        JdkWebSocketConnector connector = new JdkWebSocketConnector();
        try (RedisServer redis = RedisServer.start()) {
            List<String> urls = new ArrayList<>();
            List<String> pages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add(new ProcessBuilder(java, "-jar", jar.toString(), "--host", "127.0.0.1", "--ws-port", "0",
                        "--http-port", "0", "--transport", "netty", "--redis", redis.uri(), "--redis-lease", "3",
                        "--webhook-url", "http://127.0.0.1:" + backend.getAddress().getPort() + "/hooks",
                        "--webhook-secret", SECRET, "--webhook-rooms", "hooked", "--rate-per-second", "1000",
                        "--api-key", "backend=" + API_KEY,
                        "--rate-burst", "1000").redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            for (Process node : nodes) {
                BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                String url = null;
                String page = null;
                for (String line = out.readLine(); line != null && !line.startsWith("Press Ctrl-C"); line = out.readLine()) {
                    Matcher m = WEBSOCKET.matcher(line);
                    if (m.matches()) {
                        url = m.group(1);
                    }
                    Matcher p = PAGE.matcher(line);
                    if (p.matches()) {
                        page = p.group(1);
                    }
                }
                assertTrue(url != null && page != null, "a node printed its URLs");
                urls.add(url);
                pages.add(page);
            }
            TckClient reader = connector.connect(URI.create(urls.get(0) + "/hooked?nick=reader"), Map.of(),
                    List.of("wschat.v1.json"));
            reader.nextMessageMatching(m -> m.contains("\"welcome\""), WAIT);
            // A POST retried with one Idempotency-Key on each of the three nodes: placed once.
            List<JsonNode> posts = new ArrayList<>();
            for (String page : pages) {
                HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(page + "api/rooms/hooked/notices"))
                        .header("Authorization", "Bearer " + API_KEY).header("Idempotency-Key", "once-across-nodes")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"the quiz starts at 8\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(posts.isEmpty() ? 201 : 200, posted.statusCode(), posted.body());
                posts.add(JSON.readTree(posted.body()));
            }
            assertEquals(posts.get(0).get("seq"), posts.get(1).get("seq"));
            assertEquals(posts.get(0).get("seq"), posts.get(2).get("seq"));
            assertTrue(posts.get(2).get("repeated").asBoolean());
            List<TckClient> senders = new ArrayList<>();
            for (int s = 0; s < 10; s++) {
                senders.add(connector.connect(URI.create(urls.get(1 + s % 2) + "/hooked?nick=s" + s), Map.of(), List.of()));
            }
            int sent = 0;
            boolean killed = false;
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
                if (!(killed && sent % 2 == 1)) { // after the kill, node 3's senders (odd ones) are gone
                    senders.get(sent % senders.size()).send("L" + sent);
                }
                sent++;
                if (!killed && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(1_500)) {
                    nodes.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: its queue is lost
                    killed = true;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            senders.get(0).send("END");
            List<String> seen = new ArrayList<>();
            while (true) {
                JsonNode frame = JSON.readTree(reader.nextMessage(WAIT));
                if (!frame.has("seq")) {
                    continue;
                }
                seen.add(frame.get("epoch").asText() + ":" + frame.get("seq").asLong() + " " + frame.get("type").asText()
                        + " " + frame.path("text").asText(frame.path("nick").asText()));
                if (frame.path("text").asText().equals("END")) {
                    break;
                }
            }
            await().atMost(WAIT).until(() -> received.stream().anyMatch(e -> e.get("event").path("text").asText().equals("END")));
            Map<String, JsonNode> once = new LinkedHashMap<>();
            received.forEach(e -> once.putIfAbsent(e.get("id").asText(), e));
            List<String> kept = new ArrayList<>();
            String first = seen.get(0).substring(0, seen.get(0).indexOf(' '));
            boolean from = false;
            for (JsonNode e : once.values()) {
                JsonNode event = e.get("event");
                String place = event.get("epoch").asText() + ":" + event.get("seq").asLong();
                from |= place.equals(first);
                if (from) {
                    kept.add(place + " " + event.get("type").asText() + " "
                            + event.path("text").asText(event.path("nick").asText()));
                }
                if (event.path("text").asText().equals("END")) {
                    break;
                }
            }
            assertTrue(seen.size() > 200, "lines flowed: " + seen.size());
            assertEquals(1, seen.stream().filter(e -> e.endsWith("notice the quiz starts at 8")).count(), "the notice once: " + seen);
            assertEquals(seen, kept, "every event the room delivered, once after deduplication, in its order");
            assertTrue(received.size() >= once.size());
            assertTrue(signed.stream().allMatch(b -> b), "every request signed");
        } finally {
            connector.close();
            for (Process node : nodes) {
                node.destroy();
                node.waitFor(20, TimeUnit.SECONDS);
            }
            backend.stop(0);
        }
    }
}
