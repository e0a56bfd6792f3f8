package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.broker.redis.RedisBroker;
import io.github.wschat.broker.redis.RedisServer;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** The demo's page in a real headless Chromium: people chatting, renaming, joining late, reconnecting. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrowserChatIT {

    private Demo demo;

    /** Chromiums reused from test to test of this class, and ended after it. */
    private static final Browser.Pool BROWSERS = new Browser.Pool();

    @AfterAll
    static void endBrowsers() throws Exception {
        BROWSERS.close();
    }

    // Per test, not @BeforeAll: an assumption failing there makes the tests vanish from the report
    // ("Tests run: 0") instead of showing each as skipped with the install hint.
    @BeforeEach
    void browserInstalled() {
        Browser.requireInstalled();
    }

    @AfterEach
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /** The transport under the page: java-websocket, or another with -Dwschat.transport=netty. */
    private static final String TRANSPORT = System.getProperty("wschat.transport", "java-websocket");

    private static Demo start(int webSocketPort, int httpPort) throws Exception {
        return start(TRANSPORT, webSocketPort, httpPort);
    }

    private static Demo start(String transport, int webSocketPort, int httpPort) throws Exception {
        return Demo.start(ChatServer.builder().transport(transport).host("127.0.0.1").port(webSocketPort), "127.0.0.1",
                httpPort, Optional.empty(), Optional.empty());
    }

    private String page() {
        return "http://127.0.0.1:" + demo.pageAddress().getPort() + "/";
    }

    private static boolean shows(Browser browser, String text) {
        return browser.lines().stream().anyMatch(line -> line.contains(text));
    }

    @Test
    void twoWindowsChatBothWays() throws Exception {
        demo = start(0, 0);
        chatBothWays();
    }

    /** The page works the same whichever transport carries it: the suite keeps this one on Netty. */
    @Test
    void twoWindowsChatBothWaysOnNetty() throws Exception {
        demo = start("netty", 0, 0);
        assertEquals("netty", demo.chat().transportName());
        chatBothWays();
    }

    private void chatBothWays() throws Exception {
        try (Browser ann = BROWSERS.open(page()); Browser bob = BROWSERS.open(page())) {
            ann.awaitOnline();
            bob.awaitOnline();
            ann.until("both in the member list", () -> ann.members().size() == 2);
            ann.type("nick-input", "ann");
            bob.type("nick-input", "bob");
            ann.until("both renamed", () -> ann.members().containsAll(List.of("ann", "bob")));
            ann.say("hello from ann's window");
            bob.until("bob sees ann's line", () -> shows(bob, "hello from ann's window"));
            bob.say("and hello back, ann ✓ café");
            ann.until("ann sees bob's line", () -> shows(ann, "and hello back, ann ✓ café"));
            ann.say("/me waves");
            bob.until("bob sees the action", () -> shows(bob, "* ann waves"));
            bob.say("/msg ann just between us");
            ann.until("ann gets the private line", () -> shows(ann, "just between us"));
            ann.screenshot(Path.of("target", "screenshots", "chat.png"));
        }
    }

    @Test
    void anOperatorKicksFromThePageAndSomeoneElsesKickIsRefused() throws Exception {
        demo = Demo.start(ChatServer.builder().transport(TRANSPORT).host("127.0.0.1").port(0)
                .authenticator(new SharedTokenAuthenticator(null, "op-s3cret")), "127.0.0.1", 0, Optional.empty(),
                Optional.empty());
        try (Browser boss = BROWSERS.open(page() + "?token=op-s3cret"); Browser pest = BROWSERS.open(page())) {
            boss.awaitOnline();
            pest.awaitOnline();
            boss.type("nick-input", "boss");
            pest.type("nick-input", "pest");
            boss.until("both renamed", () -> boss.members().containsAll(List.of("boss", "pest")));
            assertTrue(boss.driver().findElement(By.id("operator-tools")).isDisplayed(), "the operator sees the commands");
            assertTrue(!pest.driver().findElement(By.id("operator-tools")).isDisplayed(), "nobody else does");

            pest.say("/kick boss I am in charge now");
            pest.until("pest is told no", () -> shows(pest, "only operators may /kick"));
            boss.say("/kick pest spamming");
            boss.until("the room sees who and why", () -> shows(boss, "pest was removed: spamming"));
            pest.until("pest is closed with 4001 and the reason",
                    () -> shows(pest, "disconnected (4001: removed: spamming)"));
            boss.screenshot(Path.of("target", "screenshots", "operator.png"));
        }
    }

    @Test
    void aReaderWhoScrolledUpIsNotPulledDownButToldThereIsMore() throws Exception {
        demo = start(0, 0);
        try (Browser reader = BROWSERS.open(page())) {
            reader.awaitOnline();
            // The writer need not be a browser: a message of 60 lines is 60 lines, without 60 typings.
            TckClient writer = new JdkWebSocketConnector().connect(
                    URI.create("ws://127.0.0.1:" + demo.webSocketAddress().getPort() + "/chat"), Map.of(), List.of());
            StringBuilder filler = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                filler.append("filler line ").append(i).append('\n');
            }
            writer.send(filler.toString());
            reader.until("the reader has them all", () -> shows(reader, "filler line 59"));
            reader.script("document.getElementById('chat-echo-area').scrollTop = 0;");
            writer.send("a line while the reader reads old ones");
            reader.until("it arrives", () -> shows(reader, "a line while the reader reads old ones"));
            assertEquals(0L, ((Number) reader.script("return document.getElementById('chat-echo-area').scrollTop;")).longValue(),
                    "the reader stays where they scrolled to");
            reader.until("and a button says there is more",
                    () -> reader.driver().findElement(By.id("new-lines")).isDisplayed());
            reader.driver().findElement(By.id("new-lines")).click();
            reader.until("the button takes them down", () -> !reader.driver().findElement(By.id("new-lines")).isDisplayed()
                    && Boolean.TRUE.equals(reader.script("const a = document.getElementById('chat-echo-area');"
                            + " return a.scrollHeight - a.scrollTop - a.clientHeight < 40;")));
        }
    }

    @Test
    void onAPhoneSizedScreenEverythingFitsTheWidth() throws Exception {
        demo = start(0, 0);
        try (Browser phone = BROWSERS.open(page())) {
            phone.driver().manage().window().setSize(new org.openqa.selenium.Dimension(390, 760));
            phone.awaitOnline();
            phone.say("a line on a small screen that is long enough to need wrapping more than once, surely");
            phone.until("the line is shown", () -> shows(phone, "small screen"));
            assertEquals(Boolean.TRUE, phone.script(
                    "return document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling");
            assertTrue(phone.driver().findElement(By.id("send")).isDisplayed());
            assertTrue(phone.driver().findElement(By.id("members")).isDisplayed());
            phone.screenshot(Path.of("target", "screenshots", "phone.png"));
        }
    }

    @Test
    void aRenameAppearsInTheOtherWindowsMemberList() throws Exception {
        demo = start(0, 0);
        try (Browser ann = BROWSERS.open(page()); Browser bob = BROWSERS.open(page())) {
            ann.awaitOnline();
            bob.awaitOnline();
            bob.until("bob sees two members", () -> bob.members().size() == 2);
            ann.type("nick-input", "annabel");
            bob.until("bob's member list shows the new name", () -> bob.members().contains("annabel"));
            bob.until("and the rename line", () -> shows(bob, "is now known as annabel"));
            ann.until("ann's own field holds it", () -> "annabel".equals(
                    ann.driver().findElement(By.id("nick-input")).getAttribute("value")));
            bob.type("nick-input", "ANNABEL");
            bob.until("a taken name is an error to bob alone", () -> shows(bob, "nickname in use: ANNABEL"));
            assertTrue(ann.lines().stream().noneMatch(line -> line.contains("nickname in use")));
        }
    }

    @Test
    void aNicknameFieldEmptiedAndLeftGetsTheNameBack() throws Exception {
        demo = start(0, 0);
        try (Browser ann = BROWSERS.open(page())) {
            ann.awaitOnline();
            WebElement nick = ann.driver().findElement(By.id("nick-input"));
            ann.until("the page shows ann's nickname", () -> !nick.getAttribute("value").isEmpty());
            String name = nick.getAttribute("value");
            nick.click();
            nick.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, Keys.TAB);
            ann.until("leaving the empty field puts the name back", () -> name.equals(nick.getAttribute("value")));
            ann.type("nick-input", "ann");
            ann.until("and typing over it renames", () -> ann.members().equals(List.of("ann")));
            assertEquals("ann", nick.getAttribute("value"));
        }
    }

    @Test
    void aLateJoinerSeesTheHistory() throws Exception {
        demo = start(0, 0);
        try (Browser ann = BROWSERS.open(page())) {
            ann.awaitOnline();
            for (String line : List.of("first words", "second words", "third words")) {
                ann.say(line);
                ann.until("ann sees " + line, () -> shows(ann, line));
            }
            try (Browser late = BROWSERS.open(page())) {
                late.awaitOnline();
                late.until("the history is shown", () -> shows(late, "first words") && shows(late, "third words"));
                List<String> lines = late.lines();
                assertTrue(indexOf(lines, "first words") < indexOf(lines, "second words")
                        && indexOf(lines, "second words") < indexOf(lines, "third words"), lines.toString());
            }
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void markupIsShownAsTextAndRunsNothing() throws Exception {
        demo = start(0, 0);
        try (Browser ann = BROWSERS.open(page()); Browser bob = BROWSERS.open(page())) {
            ann.awaitOnline();
            bob.awaitOnline();
            ann.until("both here", () -> ann.members().size() == 2);
            String attack = "<img src=x onerror=alert(1)>";
            String sneaky = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
            ann.say(attack);
            ann.say(sneaky);
            bob.until("bob sees the markup as text", () -> shows(bob, attack) && shows(bob, sneaky));
            assertEquals(0, bob.driver().findElements(By.cssSelector("#chat-echo-area img, #chat-echo-area script")).size());
            assertNull(bob.script("return window.pwned;"), "no injected script ran");
            assertThrows(NoAlertPresentException.class, () -> bob.driver().switchTo().alert());
        }
    }

    @Test
    void afterTheServerRestartsOnTheSamePortThePageReconnectsByItself() throws Exception {
        int wsPort = freePort();
        int httpPort = freePort();
        demo = start(wsPort, httpPort);
        try (Browser ann = BROWSERS.open(page())) {
            ann.awaitOnline();
            demo.close();
            ann.until("the page shows it is offline", () -> ann.status().startsWith("offline")
                    && !ann.driver().findElement(By.id("nick-input")).isEnabled());
            demo = start(wsPort, httpPort);
            ann.awaitOnline();
            ann.until("the page says earlier lines are gone (a new epoch)",
                    () -> shows(ann, "the chat restarted: lines from before are gone"));
            ann.say("back again");
            ann.until("the line goes through the new server", () -> shows(ann, "back again"));
        }
    }

    /** Three demo nodes on one Redis, a browser on each node's own page: one room, one order. */
    @Test
    void threeBrowsersOnThreeNodesChatAsOneRoom() throws Exception {
        List<Demo> nodes = new java.util.ArrayList<>();
        List<RedisBroker> brokers = new java.util.ArrayList<>();
        List<Browser> browsers = new java.util.ArrayList<>();
        try (RedisServer redis = RedisServer.start()) {
            for (int i = 0; i < 3; i++) {
                RedisBroker broker = RedisBroker.connect(redis.uri());
                brokers.add(broker);
                nodes.add(Demo.start(ChatServer.builder().transport(TRANSPORT).host("127.0.0.1").port(0).broker(broker),
                        "127.0.0.1", 0, Optional.empty(), Optional.empty()));
            }
            for (Demo node : nodes) {
                Browser browser = BROWSERS.open("http://127.0.0.1:" + node.pageAddress().getPort() + "/?room=three");
                browsers.add(browser);
                browser.awaitOnline();
            }
            for (Browser browser : browsers) {
                browser.until("three members, one per node", () -> browser.members().size() == 3);
            }
            for (int i = 0; i < 3; i++) {
                browsers.get(i).say("hello from node " + i);
                int sent = i;
                browsers.get(0).until("node 0's page shows the line from node " + i,
                        () -> shows(browsers.get(0), "hello from node " + sent));
            }
            List<List<String>> seen = new java.util.ArrayList<>();
            for (Browser browser : browsers) {
                browser.until("every page shows all three", () -> browser.lines().stream()
                        .filter(l -> l.contains("hello from node")).count() == 3);
                seen.add(browser.lines().stream().filter(l -> l.contains("hello from node"))
                        .map(l -> l.substring(l.indexOf("hello from node"))).toList());
            }
            assertEquals(seen.get(0), seen.get(1));
            assertEquals(seen.get(0), seen.get(2));
        } finally {
            for (Browser browser : browsers) {
                browser.close();
            }
            nodes.forEach(Demo::close);
            brokers.forEach(RedisBroker::close);
        }
    }

    /**
     * Two nodes on one Redis: the page's node restarts while the other node's member talks; the page
     * reconnects with ?since= and shows the lines it missed, once each, in order, and no notice.
     */
    @Test
    void aPageWhoseNodeRestartsShowsWhatItMissedOnceAndInOrder() throws Exception {
        int wsPort = freePort();
        int httpPort = freePort();
        try (RedisServer redis = RedisServer.start();
                RedisBroker other = RedisBroker.connect(redis.uri());
                ChatServer elsewhere = ChatServer.builder().transport("netty").host("127.0.0.1").port(0).broker(other)
                        .start()) {
            RedisBroker first = RedisBroker.connect(redis.uri());
            demo = Demo.start(ChatServer.builder().transport(TRANSPORT).host("127.0.0.1").port(wsPort).broker(first),
                    "127.0.0.1", httpPort, Optional.empty(), Optional.empty());
            JdkWebSocketConnector connector = new JdkWebSocketConnector();
            try (Browser ann = BROWSERS.open(page())) {
                ann.awaitOnline();
                TckClient bob = connector.connect(URI.create("ws://127.0.0.1:" + elsewhere.address().getPort()
                        + "/chat?nick=bob"), Map.of(), List.of());
                bob.send("one");
                ann.until("ann sees bob's first line", () -> shows(ann, "one"));
                demo.close();
                first.close();
                ann.until("the page shows it is offline", () -> ann.status().startsWith("offline"));
                for (String line : List.of("two", "three", "four")) {
                    bob.send(line);
                }
                first = RedisBroker.connect(redis.uri());
                demo = Demo.start(ChatServer.builder().transport(TRANSPORT).host("127.0.0.1").port(wsPort).broker(first),
                        "127.0.0.1", httpPort, Optional.empty(), Optional.empty());
                ann.awaitOnline();
                bob.send("five");
                ann.until("ann sees the line after the restart", () -> shows(ann, "five"));
                List<String> said = ann.lines().stream().filter(l -> l.contains("bob")).filter(
                        l -> List.of("one", "two", "three", "four", "five").stream().anyMatch(l::endsWith)).toList();
                assertEquals(5, said.size(), "each line once: " + said);
                for (int i = 0; i < 5; i++) {
                    assertTrue(said.get(i).endsWith(List.of("one", "two", "three", "four", "five").get(i)), said.toString());
                }
                assertTrue(ann.lines().stream().noneMatch(l -> l.contains("missed") || l.contains("restarted")),
                        "no gap to report: " + ann.lines());
            } finally {
                connector.close();
                demo.close();
                demo = null;
                first.close();
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
