package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Compression;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo's page, unchanged, in real headless Chromiums on a server that compresses: Chromium offers
 * permessage-deflate, the server agrees (shared compression, without server context takeover, as
 * Chromium's network log shows the handshake's answer), and two people chat with lines long enough to
 * go compressed both ways. With compression off, the same page chats with the extension declined.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CompressedChatBrowserIT {

    private static final String LONG = "a line long enough to be compressed on its way to everyone in the room, "
            + "which is what a browser on a metered phone network would thank us for";

    private Demo demo;

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

    private String page() {
        return "http://127.0.0.1:" + demo.pageAddress().getPort() + "/";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java-websocket", "netty"})
    void chromiumNegotiatesCompressionAndChats(String transport) throws Exception {
        demo = Demo.start(ChatServer.builder().transport(transport).host("127.0.0.1").port(0), "127.0.0.1", 0,
                Optional.empty(), Optional.empty());
        try (Browser alice = Browser.openWatchingTheNetwork(page()); Browser bob = Browser.open(page())) {
            chat(alice, bob);
            List<Map<String, String>> handshakes = alice.webSocketHandshakeResponses();
            assertFalse(handshakes.isEmpty(), "Chromium logged the handshake");
            assertEquals("permessage-deflate; server_no_context_takeover",
                    handshakes.get(0).get("sec-websocket-extensions"), "the server's answer: " + handshakes.get(0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java-websocket", "netty"})
    void withCompressionOffTheSamePageChatsUncompressed(String transport) throws Exception {
        demo = Demo.start(ChatServer.builder().transport(transport).host("127.0.0.1").port(0)
                        .compression(Compression.off()), "127.0.0.1", 0, Optional.empty(), Optional.empty());
        try (Browser alice = Browser.openWatchingTheNetwork(page()); Browser bob = Browser.open(page())) {
            chat(alice, bob);
            List<Map<String, String>> handshakes = alice.webSocketHandshakeResponses();
            assertFalse(handshakes.isEmpty(), "Chromium logged the handshake");
            assertEquals(null, handshakes.get(0).get("sec-websocket-extensions"), "declined: " + handshakes.get(0));
        }
    }

    private static void chat(Browser alice, Browser bob) {
        alice.awaitOnline();
        bob.awaitOnline();
        alice.until("both in the member list", () -> alice.members().size() == 2);
        alice.type("nick-input", "alice");
        bob.type("nick-input", "bob");
        alice.until("both renamed", () -> alice.members().containsAll(List.of("alice", "bob")));
        alice.say(LONG);
        bob.until("bob reads alice's line", () -> shows(bob, LONG));
        bob.say("and back: " + LONG + " ✓ café");
        alice.until("alice reads bob's line", () -> shows(alice, "and back: " + LONG + " ✓ café"));
        alice.say("short");
        bob.until("and a short one", () -> shows(bob, "short"));
    }

    private static boolean shows(Browser browser, String text) {
        return browser.lines().stream().anyMatch(line -> line.contains(text));
    }
}
