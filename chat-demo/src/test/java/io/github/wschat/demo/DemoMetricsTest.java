package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.CloseCodes;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * A Prometheus scrape of the demo shows the chat that just happened — a line, a flood, an
 * oversized message, a leave — and /healthz follows the chat server.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();
    private final JdkWebSocketConnector connector = new JdkWebSocketConnector();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the samples of {@code name} whose labels include every one of {@code labels}. */
    private static double sample(String scrape, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        assertTrue(found, "no sample " + name + " " + String.join(",", labels) + " in\n" + scrape);
        return sum;
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"java-websocket", "netty"})
    void aScrapeShowsTheChatThatJustHappenedAndHealthFollowsTheChatServer(String transport) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Demo demo = Demo.start(ChatServer.builder().transport(transport).host("127.0.0.1").port(0)
                        .rateLimit(5, 5).maxMessageBytes(1024).historySize(0).announceJoins(false),
                "127.0.0.1", 0, Optional.empty(), Optional.of(List.of("*")), Optional.of(registry))) {
            String page = "http://127.0.0.1:" + demo.pageAddress().getPort();
            URI room = URI.create("ws://127.0.0.1:" + demo.webSocketAddress().getPort() + "/chat");
            assertEquals(200, get(page + "/healthz").statusCode());

            TckClient ann = connector.connect(room, Map.of(), List.of());
            TckClient bob = connector.connect(room, Map.of(), List.of());
            await().atMost(WAIT).until(() -> demo.chat().memberCount() == 2);
            ann.send("hello");
            assertTrue(ChatLines.nextSaid(bob, WAIT).endsWith(": hello"));
            for (int i = 0; i < 20; i++) {
                bob.send("flood " + i); // a burst of 5 passes, most of the rest is refused
            }
            TckClient carol = connector.connect(room, Map.of(), List.of());
            await().atMost(WAIT).until(() -> demo.chat().memberCount() == 3);
            carol.send("x".repeat(2000));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, carol.awaitClose(WAIT).code());
            ann.close(CloseCodes.NORMAL, "bye");
            await().atMost(WAIT).until(() -> demo.chat().memberCount() == 1);

            String t = "transport=\"" + transport + "\"";
            await().atMost(WAIT).until(() -> sample(get(page + "/metrics").body(), "wschat_lines_received_total", t) == 21);
            String scrape = get(page + "/metrics").body();
            assertEquals(3, sample(scrape, "wschat_handshakes_total", t, "outcome=\"accepted\"", "status=\"101\""));
            double refused = sample(scrape, "wschat_lines_refused_total", t, "reason=\"rate\"");
            assertTrue(refused >= 10 && refused <= 15, "most of the flood was refused: " + refused);
            double accepted = 20 - refused;
            assertTrue(sample(scrape, "wschat_deliveries_total", t) >= 2 * (1 + accepted),
                    "every accepted line reached both members");
            assertTrue(sample(scrape, "wschat_sent_bytes_total", t) > 0);
            assertEquals(1, sample(scrape, "wschat_closes_total", t, "code=\"1009\"", "cause=\"message_too_big\""));
            assertEquals(1, sample(scrape, "wschat_closes_total", t, "code=\"1000\"", "cause=\"normal\""));
            assertEquals(1, sample(scrape, "wschat_connections", t));
            assertEquals(1, sample(scrape, "wschat_members", t));
            assertEquals(1, sample(scrape, "wschat_rooms", t));
            assertEquals(1 + accepted, sample(scrape, "wschat_fanout_seconds_count", t), "each accepted line timed once");
            // The outbound queues are sampled every few seconds: bob, a reader that keeps up, holds little.
            await().atMost(WAIT).until(() -> sample(get(page + "/metrics").body(), "wschat_outbound_queued_bytes_count", t) >= 1);
            assertTrue(sample(get(page + "/metrics").body(), "wschat_outbound_queued_bytes_max", t) < 64 * 1024);

            demo.chat().close();
            HttpResponse<String> stopped = get(page + "/healthz");
            assertEquals(503, stopped.statusCode());
            assertTrue(stopped.body().contains("stopped"), stopped.body());
        }
    }
}
