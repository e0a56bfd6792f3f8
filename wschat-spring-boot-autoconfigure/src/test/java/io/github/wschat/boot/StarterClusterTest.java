package io.github.wschat.boot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.broker.redis.RedisServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Boot applications on one real redis-server, one by {@code wschat.redis.uri}, one by Spring Data
 * Redis' own {@code spring.data.redis.*} (Boot's connection details): one room across both, and each one's health following Redis (OUT_OF_SERVICE while it is gone, UP once it is back).
 * Needs {@code redis-server} (skipped with the install hint without it, failed under CI).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StarterClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode health(ConfigurableApplicationContext app) throws Exception {
        String url = "http://127.0.0.1:" + port(app) + "/actuator/health";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body()).path("components").path("wschat");
    }

    private static String port(ConfigurableApplicationContext app) {
        return app.getEnvironment().getProperty("local.server.port");
    }

    @Test
    void twoApplicationsOnOneRedisAreOneRoomAndTheirHealthFollowsRedis() throws Exception {
        List<ConfigurableApplicationContext> apps = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(); JdkWebSocketConnector connector = new JdkWebSocketConnector()) {
            URI where = URI.create(redis.uri());
            // One application names the Redis for the chat, the other configures Spring Data Redis only:
            // the chat uses Boot's connection details.
            for (String redisSetting : List.of("wschat.redis.uri=" + redis.uri(),
                    "spring.data.redis.port=" + where.getPort())) {
                apps.add(new SpringApplicationBuilder(ChatApplication.class).properties("server.address=127.0.0.1",
                        "server.port=0", redisSetting, "spring.data.redis.host=" + where.getHost(),
                        "wschat.announce-joins=false", "management.endpoints.web.exposure.include=health",
                        "management.endpoint.health.show-details=always").run());
            }
            TckClient ann = connector.connect(URI.create("ws://127.0.0.1:" + port(apps.get(0)) + "/chat?nick=ann"),
                    Map.of(), List.of());
            TckClient bob = connector.connect(URI.create("ws://127.0.0.1:" + port(apps.get(1)) + "/chat?nick=bob"),
                    Map.of(), List.of());
            // Each one's own line comes back through Redis: then both nodes read the room.
            ann.send("ready");
            ann.nextMessageMatching("ann: ready"::equals, WAIT);
            bob.send("ready");
            bob.nextMessageMatching("bob: ready"::equals, WAIT);
            ann.send("across nodes");
            bob.nextMessageMatching("ann: across nodes"::equals, WAIT);
            for (ConfigurableApplicationContext app : apps) {
                JsonNode wschat = health(app);
                assertEquals("UP", wschat.path("status").asText(), wschat.toString());
                assertEquals("available", wschat.path("details").path("broker").asText(), wschat.toString());
            }

            redis.kill();
            await().atMost(WAIT).until(() -> health(apps.get(0)).path("status").asText().equals("OUT_OF_SERVICE"));
            assertEquals("unavailable", health(apps.get(0)).path("details").path("broker").asText());
            redis.restart();
            await().atMost(WAIT).until(() -> health(apps.get(0)).path("status").asText().equals("UP"));
        } finally {
            apps.forEach(ConfigurableApplicationContext::close);
        }
    }
}
