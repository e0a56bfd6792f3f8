package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.app.ChatListener;
import io.github.wschat.broker.RoomEvent;
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
            try (Browser browser = Browser.open("http://127.0.0.1:" + page.address().getPort() + "/")) {
                browser.awaitOnline();
                List<String> typed = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String text = "line " + i;
                    browser.say(text);
                    typed.add(text);
                    if (i % 20 == 10) {
                        proxy.cutAll();
                    }
                }
                browser.until("every line acknowledged", () -> browser.pending().isEmpty());
                browser.until("every line shown", () -> browser.lines().stream().anyMatch(l -> l.endsWith("line 199")));
                List<String> shown = new ArrayList<>();
                for (String line : browser.lines()) {
                    java.util.regex.Matcher typedLine = java.util.regex.Pattern.compile("line \\d+$").matcher(line);
                    if (typedLine.find()) {
                        shown.add(typedLine.group());
                    }
                }
                assertEquals(typed, shown, "each line shown once, in the order typed");
                assertEquals(200, placed.size());
                assertTrue(placed.values().stream().allMatch(n -> n.get() == 1), "each line placed once: " + placed);
                assertTrue(proxy.cuts() >= 10, "the connection was cut " + proxy.cuts() + " times");
            }
        }
    }
}
