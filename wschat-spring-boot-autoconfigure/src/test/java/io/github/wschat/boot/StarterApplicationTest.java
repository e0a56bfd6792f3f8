package io.github.wschat.boot;

import static org.awaitility.Awaitility.await;
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
 * The starter in a real Boot application on Tomcat, port 0: the chat at /chat on the application's
 * port, its settings from wschat.* properties, listener beans in @Order, Actuator's health and the
 * Prometheus scrape, and a stop that tells clients 1001.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StarterApplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theChatRunsOnTheApplicationsPortWithItsPropertiesListenersHealthAndMeters() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0", "wschat.history=1", "wschat.announce-joins=false",
                "management.endpoints.web.exposure.include=health,prometheus",
                // Spring Data Redis is on the test class path (for StarterClusterTest); nothing here uses it.
                "management.health.redis.enabled=false",
                "management.endpoint.health.show-details=always").run();
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector()) {
            String port = context.getEnvironment().getProperty("local.server.port");
            URI lobby = URI.create("ws://127.0.0.1:" + port + "/chat?nick=ann");
            TckClient ann = connector.connect(lobby, Map.of(), List.of());
            ann.send("one");
            ann.send("two");
            assertEquals("ann: one", ann.nextMessage(WAIT));
            assertEquals("ann: two", ann.nextMessage(WAIT));
            TckClient bob = connector.connect(URI.create("ws://127.0.0.1:" + port + "/chat/lobby?nick=bob"), Map.of(),
                    List.of());
            assertEquals("ann: two", bob.nextMessage(WAIT), "wschat.history=1: one line of history");
            bob.send("hi");
            assertEquals("bob: hi", ann.nextMessage(WAIT));

            List<String> heard = context.getBean("heard", List.class);
            await().atMost(WAIT).until(() -> heard.size() == 6);
            assertEquals(List.of("first: one", "second: one", "first: two", "second: two", "first: hi", "second: hi"), heard);

            String health = get("http://127.0.0.1:" + port + "/actuator/health");
            JsonNode wschat = new ObjectMapper().readTree(health.substring(4)).path("components").path("wschat");
            assertTrue(health.startsWith("200 "), health);
            assertEquals("UP", wschat.path("status").asText(), health);
            assertEquals(2, wschat.path("details").path("members").asInt(), health);
            assertEquals("in-process", wschat.path("details").path("broker").asText(), health);
            String scrape = get("http://127.0.0.1:" + port + "/actuator/prometheus");
            assertTrue(scrape.contains("wschat_lines_received_total{"), scrape);

            context.close();
            assertEquals(CloseCodes.GOING_AWAY, ann.awaitClose(WAIT).code());
            assertEquals(CloseCodes.GOING_AWAY, bob.awaitClose(WAIT).code());
        } finally {
            context.close();
        }
    }

    @Test
    void thePathIsTheApplicationsWithinItsContextPath() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0", "server.servlet.context-path=/app",
                "wschat.path=/support/chat", "wschat.announce-joins=false").run();
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector()) {
            String base = "ws://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/app";
            TckClient ann = connector.connect(URI.create(base + "/support/chat/t-42?nick=ann"), Map.of(), List.of());
            ann.send("hello");
            assertEquals("ann: hello", ann.nextMessage(WAIT));
            assertTrue(context.getBean(io.github.wschat.server.ChatServer.class).rooms().contains("t-42"));
            assertEquals(426, http.send(HttpRequest.newBuilder(URI.create(base.replace("ws:", "http:")
                    + "/support/chat/t-42")).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "the chat's mount answers a request that is no upgrade");
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base.replace("ws:", "http:") + "/chat")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "nothing is mounted at /chat");
        } finally {
            context.close();
        }
    }
}
