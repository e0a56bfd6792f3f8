package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.app.ChatListener;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.redis.RedisBroker;
import io.github.wschat.broker.redis.RedisServer;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.CuttingProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The page behind a proxy that cuts its connection: each typed line shows as pending until the server
 * acknowledges it, goes again with its id after a reconnect, and is placed and shown exactly once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AcknowledgedLinesBrowserIT {

    private static final String TRANSPORT = System.getProperty("wschat.transport", "java-websocket");

    /** Chromiums reused from test to test of this class, and ended after it. */
    private static final Browser.Pool BROWSERS = new Browser.Pool();

    @AfterAll
    static void endBrowsers() throws Exception {
        BROWSERS.close();
    }

    @BeforeEach
    void browserInstalled() {
        Browser.requireInstalled();
    }

    @Test
    void twoHundredLinesTypedWhileTheConnectionIsCutTenTimesAreEachShownAndPlacedOnce() throws Exception {
        Map<String, AtomicInteger> placed = new ConcurrentHashMap<>();
        ChatListener counting = event -> {
            if (event.event() instanceof RoomEvent.Message message) {
                placed.computeIfAbsent(message.text(), t -> new AtomicInteger()).incrementAndGet();
            }
        };
        try (ChatServer chat = ChatServer.builder().transport(TRANSPORT).host("127.0.0.1").port(0)
                        .rateLimit(1_000, 1_000).listener(counting).start();
                CuttingProxy proxy = new CuttingProxy(new InetSocketAddress("127.0.0.1", chat.address().getPort()), 11);
                PageServer page = new PageServer("127.0.0.1", 0, Optional.empty())) {
            page.start(proxy.through("/").getPort());
            try (Browser browser = BROWSERS.open("http://127.0.0.1:" + page.address().getPort() + "/")) {
                browser.awaitOnline();
                List<String> typed = new ArrayList<>();
                // Typed in bursts, each on a connection that is cut right after it: lines 0-10, cut, 11-30, cut, ...
                // 191-199.
                for (int from = 0; from < 200; ) {
                    int to = Math.min(200, from == 0 ? 11 : from + 20);
                    List<String> burst = new ArrayList<>();
                    for (int i = from; i < to; i++) {
                        burst.add("line " + i);
                    }
                    browser.awaitOnline();
                    browser.sayEach(burst);
                    typed.addAll(burst);
                    if (to < 200) {
                        proxy.cutAll();
                    }
                    from = to;
                }
                browser.until("every line acknowledged", () -> browser.pending().isEmpty());
                browser.until("every line shown", () -> browser.lines().stream().anyMatch(l -> l.endsWith("line 199")));
                assertEquals(typed, typedLines(browser), () -> "each line shown once, in the order typed; the page showed "
                        + browser.lines());
                assertEquals(200, placed.size());
                assertTrue(placed.values().stream().allMatch(n -> n.get() == 1), "each line placed once: " + placed);
                assertTrue(proxy.cuts() >= 10, "the connection was cut " + proxy.cuts() + " times");
            }
        }
    }
    /**
     * With a shared broker the acknowledgement of a line (the append's answer) and the line itself (the
     * subscription's read) come on two Redis connections, in either order: the page shows each line
     * once either way, on the typing page and on a page of another node.
     */
    @Test
    void onTwoNodesEachAcknowledgedLineIsShownOnceOnBothPages() throws Exception {
        List<Demo> nodes = new ArrayList<>();
        List<RedisBroker> brokers = new ArrayList<>();
        try (RedisServer redis = RedisServer.start()) {
            for (int i = 0; i < 2; i++) {
                RedisBroker broker = RedisBroker.connect(redis.uri());
                brokers.add(broker);
                nodes.add(Demo.start(ChatServer.builder().transport(TRANSPORT).host("127.0.0.1").port(0)
                        .rateLimit(1_000, 1_000).broker(broker), "127.0.0.1", 0, Optional.empty(), Optional.empty()));
            }
            try (Browser typing = BROWSERS.open(pageOf(nodes.get(0))); Browser reading = BROWSERS.open(pageOf(nodes.get(1)))) {
                typing.awaitOnline();
                reading.awaitOnline();
                reading.until("two members, one per node", () -> reading.members().size() == 2);
                List<String> typed = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    typed.add("line " + i);
                }
                typing.sayEach(typed);
                typing.until("every line acknowledged", () -> typing.pending().isEmpty());
                for (Browser browser : List.of(typing, reading)) {
                    browser.until("every line shown", () -> typedLines(browser).size() >= typed.size());
                    assertEquals(typed, typedLines(browser), "each line shown once, in the order typed");
                }
            }
        } finally {
            nodes.forEach(Demo::close);
            brokers.forEach(RedisBroker::close);
        }
    }

    private static String pageOf(Demo node) {
        return "http://127.0.0.1:" + node.pageAddress().getPort() + "/?room=acks";
    }

    /** The typed lines ("line N") the page shows, in its order. */
    private static List<String> typedLines(Browser browser) {
        List<String> shown = new ArrayList<>();
        for (String line : browser.lines()) {
            java.util.regex.Matcher typedLine = LINE.matcher(line);
            if (typedLine.find()) {
                shown.add(typedLine.group());
            }
        }
        return shown;
    }

    private static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile("line \\d+$");
}
