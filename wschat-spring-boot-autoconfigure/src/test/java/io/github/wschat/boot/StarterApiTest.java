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

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
