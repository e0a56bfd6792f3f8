package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wschat.history.InMemoryHistoryStore;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page in a real Chromium loads older lines, page by page, back to the room's first of 500. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HistoryBrowserIT {

    private static final Browser.Pool BROWSERS = new Browser.Pool();
    private static final int LINES = 500;

    @AfterAll
    static void endBrowsers() throws Exception {
        BROWSERS.close();
    }

    @BeforeEach
    void browserInstalled() {
        Browser.requireInstalled();
    }

    @Test
    void scrollingBackLoadsOlderLinesToTheRoomsFirst() throws Exception {
        InMemoryHistoryStore store = new InMemoryHistoryStore();
        try (Demo demo = Demo.start(ChatServer.builder().transport("java-websocket").host("127.0.0.1").port(0)
                        .historySize(50).historyStore(store).rateLimit(10_000, 10_000), "127.0.0.1", 0,
                Optional.empty(), Optional.empty());
                JdkWebSocketConnector connector = new JdkWebSocketConnector()) {
            TckClient ann = connector.connect(URI.create("ws://127.0.0.1:" + demo.webSocketAddress().getPort() + "/chat?nick=ann"),
                    Map.of(), List.of());
            for (int i = 0; i < LINES; i++) {
                ann.send("line " + i);
            }
            while (!ann.nextMessage(Duration.ofSeconds(30)).equals("ann: line " + (LINES - 1))) {
                // her own lines, back through the room
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> store.before("lobby", Optional.empty(), 1).events().stream()
                            .anyMatch(e -> e.event().equals(new io.github.wschat.broker.RoomEvent.Message("ann", "line " + (LINES - 1)))));
            try (Browser browser = BROWSERS.open("http://127.0.0.1:" + demo.pageAddress().getPort() + "/")) {
                browser.awaitOnline();
                browser.until("the welcome's fifty lines", () -> browser.lines().stream().anyMatch(l -> l.endsWith("line "
                        + (LINES - 1))));
                for (int page = 0; page < 20 && !browser.lines().stream().anyMatch(l -> l.endsWith("the room's first line"));
                        page++) {
                    int before = browser.lines().size();
                    browser.script("document.getElementById('load-older').click()");
                    browser.until("a page of older lines", () -> browser.lines().size() > before);
                }
                List<String> said = new ArrayList<>();
                for (String line : browser.lines()) {
                    int at = line.indexOf("line ");
                    if (line.contains("ann") && at >= 0) {
                        said.add(line.substring(at));
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < LINES; i++) {
                    expected.add("line " + i);
                }
                assertEquals(expected, said, "every line once, in order, the first at the top");
                assertEquals("the room's first line", browser.lines().get(0));
            }
        }
    }
}
