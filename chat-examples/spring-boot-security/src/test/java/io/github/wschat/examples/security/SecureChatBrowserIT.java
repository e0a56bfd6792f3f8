package io.github.wschat.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wschat.demo.Browser;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Real browsers log in through Spring's form and chat under their user names; a browser without a
 * login gets the form, and a client without one is refused by the chat with 401.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(120)
class SecureChatBrowserIT {

    private static final Browser.Pool BROWSERS = new Browser.Pool();

    @LocalServerPort
    int port;

    @AfterAll
    static void endBrowsers() throws Exception {
        BROWSERS.close();
    }

    @BeforeEach
    void needsChromium() {
        Browser.requireInstalled();
    }

    /** Where the chat is, for a client without a browser. */
    URI chat() {
        return URI.create("ws://127.0.0.1:" + port + "/chat");
    }

    /** Opens the page, which sends the browser to the login form first, and logs in. */
    private Browser loggedIn(String user) throws Exception {
        Browser browser = BROWSERS.open("http://127.0.0.1:" + port + "/");
        browser.until("the login form", () -> browser.script("return document.getElementById('username') !== null")
                .equals(Boolean.TRUE));
        browser.fill("username", user);
        browser.type("password", "chat");
        browser.awaitOnline();
        return browser;
    }

    /** Whether a line of {@code from} saying {@code text} is shown (a line reads time, sender, text). */
    private static boolean shows(Browser browser, String from, String text) {
        return browser.lines().stream().anyMatch(line -> line.endsWith(from + text));
    }

    @Test
    void usersWhoLoggedInChatUnderTheirNamesAndAClientWithoutALoginIsRefused() throws Exception {
        try (Browser alice = loggedIn("alice")) {
            alice.until("alice is herself", () -> alice.members().contains("alice"));
            alice.say("hello, I logged in");
            alice.until("her line, under her name", () -> shows(alice, "alice", "hello, I logged in"));
            try (Browser bob = loggedIn("bob")) {
                bob.until("both are listed", () -> bob.members().containsAll(List.of("alice", "bob")));
                bob.until("bob has alice's line", () -> shows(bob, "alice", "hello, I logged in"));
                bob.say("hi alice");
                alice.until("alice has bob's line", () -> shows(alice, "bob", "hi alice"));
            }
        }
        try (Browser stranger = BROWSERS.open("http://127.0.0.1:" + port + "/")) {
            stranger.until("a browser without a login gets the login form, not the chat", () -> stranger
                    .script("return document.getElementById('username') !== null && !document.getElementById('chat-input')")
                    .equals(Boolean.TRUE));
        }
        try (JdkWebSocketConnector anonymous = new JdkWebSocketConnector()) {
            HandshakeRefusedException refused = assertThrows(HandshakeRefusedException.class,
                    () -> anonymous.connect(chat(), Map.of(), List.of()));
            assertEquals(401, refused.status());
        }
    }

    @Test
    void twoTabsOfOneUserChatBesideEachOtherAsOneMemberWhoLeavesWithTheLast() throws Exception {
        try (Browser bob = loggedIn("bob")) {
            Browser first = loggedIn("alice");
            try (Browser second = loggedIn("alice")) {
                bob.until("alice is listed once, beside bob", () -> bob.members().stream().filter("alice"::equals).count() == 1
                        && bob.members().contains("bob"));
                second.until("her second tab lists her once too",
                        () -> second.members().stream().filter("alice"::equals).count() == 1);
                first.say("from the first tab");
                second.until("the second tab has the first's line", () -> shows(second, "alice", "from the first tab"));
                second.say("from the second tab");
                first.until("and the other way round", () -> shows(first, "alice", "from the second tab"));
                bob.until("bob has both, from one alice",
                        () -> shows(bob, "alice", "from the first tab") && shows(bob, "alice", "from the second tab"));
                first.close();
                second.say("one tab closed, still here");
                bob.until("the second tab's line", () -> shows(bob, "alice", "one tab closed, still here"));
                assertTrue(bob.lines().stream().noneMatch(line -> line.endsWith("alice left")),
                        "no leave while her second tab is open: " + bob.lines());
                assertEquals(1, bob.lines().stream().filter(line -> line.endsWith("alice joined")).count(),
                        "one join for two tabs: " + bob.lines());
            }
            bob.until("her leave, once both tabs closed", () -> bob.lines().stream().anyMatch(l -> l.endsWith("alice left"))
                    && !bob.members().contains("alice"));
        }
    }

    @Test
    void anOperatorBansAMemberFromTheApplicationsConsoleAndTheMembersPageShows4003() throws Exception {
        try (Browser carol = loggedIn("carol"); Browser alice = loggedIn("alice")) {
            carol.say("hello from carol");
            alice.script("location.href = arguments[0];", "http://127.0.0.1:" + port + "/wschat-api/console");
            alice.until("the console, without a key, lists the lobby", () -> present(alice, "#rooms tr[data-room='lobby']"));
            click(alice, "#rooms tr[data-room='lobby']");
            alice.until("the console lists carol and her line", () -> present(alice,
                    "#members tr[data-nick='carol'] button[data-action='ban']")
                    && String.valueOf(alice.script("return document.getElementById('lines').innerText;"))
                            .contains("carol: hello from carol"));
            click(alice, "#members tr[data-nick='carol'] button[data-action='ban']");
            carol.until("carol's page shows the ban's close", () -> carol.lines().stream()
                    .anyMatch(l -> l.startsWith("disconnected (4003: banned for 1h: banned from the console")));
        }
    }

    private static boolean present(Browser page, String selector) {
        return Boolean.TRUE.equals(page.script("return document.querySelector(arguments[0]) !== null;", selector));
    }

    /** Clicks in one script: the console redraws its tables every poll. */
    private static void click(Browser page, String selector) {
        page.script("document.querySelector(arguments[0]).click();", selector);
    }
}
