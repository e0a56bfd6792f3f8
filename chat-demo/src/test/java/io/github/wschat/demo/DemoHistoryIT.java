package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo jar with --history-db on an H2 file keeps yesterday's lines across a restart. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoHistoryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode next(TckClient client, String type) throws Exception {
        while (true) {
            JsonNode frame = json.readTree(client.nextMessage(WAIT));
            if (frame.get("type").asText().equals(type)) {
                return frame;
            }
        }
    }

    private List<String> newest(TckClient client) throws Exception {
        client.send("{\"type\":\"history\",\"limit\":100,\"id\":\"h\"}");
        List<String> texts = new ArrayList<>();
        lines(next(client, "history"), texts);
        return texts;
    }

    /** The lines of a page (its joins left out). */
    private static void lines(JsonNode page, List<String> texts) {
        page.get("events").forEach(e -> {
            if (e.get("type").asText().equals("message")) {
                texts.add(e.get("text").asText());
            }
        });
    }

    @Test
    void linesSaidBeforeARestartAreThereToPageBackToAfterIt(@TempDir Path dir) throws Exception {
        List<String> flags = List.of("--transport", "netty", "--history", "5", "--history-db",
                "jdbc:h2:file:" + dir.resolve("history").toAbsolutePath());
        List<String> said = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            said.add("line " + i);
        }
        JdkWebSocketConnector connector = new JdkWebSocketConnector();
        try {
            try (DemoNodes first = DemoNodes.start(1, flags)) {
                TckClient ann = connector.connect(URI.create(first.urls.get(0) + "?nick=ann"), Map.of(), List.of("wschat.v1.json"));
                next(ann, "welcome");
                for (String line : said) {
                    ann.send("{\"type\":\"say\",\"text\":\"" + line + "\"}");
                }
                await().atMost(WAIT).until(() -> newest(ann).equals(said));
            } // SIGTERM: the demo writes what it has not yet written, and stops
            try (DemoNodes second = DemoNodes.start(1, flags)) {
                TckClient bob = connector.connect(URI.create(second.urls.get(0) + "?nick=bob"), Map.of(), List.of("wschat.v1.json"));
                JsonNode welcome = next(bob, "welcome");
                assertEquals(0, welcome.get("history").size(), "memory starts empty after a restart");
                bob.send("{\"type\":\"history\",\"limit\":100,\"id\":\"back\"}");
                JsonNode page = next(bob, "history");
                List<String> texts = new ArrayList<>();
                lines(page, texts);
                assertEquals(said, texts, "yesterday's lines, from the database");
                assertFalse(page.get("more").asBoolean());
            }
        } finally {
            connector.close();
        }
    }
}
