package io.github.wschat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.CloseCodes;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The server HTTP API in a Boot application ({@code wschat.api.*}), and the actuator endpoint {@code
 * wschat}: off the web until exposed, then reading the rooms, posting and removing, over real HTTP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StarterApiTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theApiIsServedWithItsKeysAndTheEndpointOnlyOnceExposed() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0", "wschat.announce-joins=false", "wschat.api.enabled=true",
                "wschat.api.keys.backend=backend-key-0123456789").run();
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector()) {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            TckClient ann = connector.connect(URI.create(base.replace("http:", "ws:") + "/chat?nick=ann"), Map.of(), List.of());
            ann.send("hello");
            assertEquals("ann: hello", ann.nextMessage(WAIT));
            assertEquals(401, get(base + "/wschat-api/rooms", Map.of()).statusCode());
            HttpResponse<String> members = get(base + "/wschat-api/rooms/lobby/members",
                    Map.of("Authorization", "Bearer backend-key-0123456789"));
            assertEquals(200, members.statusCode(), members.body());
            assertEquals("ann", JSON.readTree(members.body()).get("members").get(0).get("nick").asText());
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/wschat-api/rooms/lobby/notices"))
                    .header("X-Api-Key", "backend-key-0123456789").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from the backend\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, posted.statusCode(), posted.body());
            assertEquals(" *** from the backend", ann.nextMessage(WAIT));
            assertEquals(404, get(base + "/actuator/wschat", Map.of()).statusCode(), "off the web until exposed");
        } finally {
            context.close();
        }
    }

    @Test
    void theActuatorEndpointReadsPostsAndRemovesOnceExposed() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0", "wschat.announce-joins=false",
                "management.endpoints.web.exposure.include=wschat").run();
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector()) {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            TckClient bob = connector.connect(URI.create(base.replace("http:", "ws:") + "/chat/ops?nick=bob"), Map.of(), List.of());
            bob.send("hi");
            assertEquals("bob: hi", bob.nextMessage(WAIT));
            HttpResponse<String> rooms = get(base + "/actuator/wschat", Map.of());
            assertEquals(200, rooms.statusCode(), rooms.body());
            assertEquals(1, JSON.readTree(rooms.body()).get("rooms").get("ops").asInt());
            JsonNode room = JSON.readTree(get(base + "/actuator/wschat/ops", Map.of()).body());
            assertEquals("bob", room.get("members").get(0).get("nick").asText());
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/wschat/ops"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"maintenance at 8\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());
            assertEquals(" *** maintenance at 8", bob.nextMessage(WAIT));
            HttpResponse<String> removed = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/wschat/ops/bob"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, removed.statusCode(), removed.body());
            assertEquals(CloseCodes.REMOVED, bob.awaitClose(WAIT).code());
            assertEquals(404, get(base + "/wschat-api/rooms", Map.of()).statusCode(), "the API is off by default");
        } finally {
            context.close();
        }
    }

    @Test
    void theHooksAskTheBackendWhoEntersAndWhatPasses() throws Exception {
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/join", exchange -> answer(exchange, JSON.readTree(exchange.getRequestBody().readAllBytes())
                .get("room").asText().equals("staff") ? "{\"verdict\":\"refuse\",\"status\":403,\"reason\":\"staff only\"}"
                : "{\"verdict\":\"allow\"}"));
        backend.createContext("/line", exchange -> answer(exchange, JSON.readTree(exchange.getRequestBody().readAllBytes())
                .get("line").get("text").asText().contains("darn") ? "{\"verdict\":\"rewrite\",\"text\":\"d**n\"}"
                : "{\"verdict\":\"accept\"}"));
        backend.start();
        String hooks = "http://127.0.0.1:" + backend.getAddress().getPort();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0", "wschat.announce-joins=false",
                "wschat.hooks.join-url=" + hooks + "/join", "wschat.hooks.line-filter-url=" + hooks + "/line",
                "wschat.hooks.secret=hook-secret-0123456789").run();
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector()) {
            String base = "ws://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            TckClient ann = connector.connect(URI.create(base + "/chat?nick=ann"), Map.of(), List.of());
            ann.send("well darn");
            assertEquals("ann: d**n", ann.nextMessage(WAIT));
            TckClient bob = connector.connect(URI.create(base + "/chat/staff?nick=bob"), Map.of(), List.of());
            io.github.wschat.tck.CloseStatus closed = bob.awaitClose(WAIT);
            assertEquals(4403, closed.code());
            assertEquals("staff only", closed.reason());
        } finally {
            context.close();
            backend.stop(0);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws java.io.IOException {
        try (exchange) {
            byte[] out = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
