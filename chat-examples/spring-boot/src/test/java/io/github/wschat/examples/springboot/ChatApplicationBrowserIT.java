package io.github.wschat.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.demo.Browser;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Two real browsers (headless Chromium) chat through the example, page and chat on one port. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApplicationBrowserIT {

    @LocalServerPort
    int port;

    @BeforeEach
    void needsChromium() {
        Browser.requireInstalled();
    }

    @Test
    void twoBrowsersChatOnTheApplicationsOwnPort() throws Exception {
        String page = "http://localhost:" + port + "/?room=spring";
        try (Browser ann = Browser.open(page); Browser bob = Browser.open(page)) {
            ann.awaitOnline();
            bob.awaitOnline();
            ann.until("both are listed", () -> ann.members().size() == 2);
            ann.say("hello from a browser");
            bob.until("bob sees ann's line", () -> bob.lines().stream().anyMatch(l -> l.contains("hello from a browser")));
            bob.say("and back");
            ann.until("ann sees bob's line", () -> ann.lines().stream().anyMatch(l -> l.contains("and back")));
            List<String> lines = ann.lines();
            assertTrue(lines.indexOf(lines.stream().filter(l -> l.contains("hello from a browser")).findFirst().orElseThrow())
                    < lines.indexOf(lines.stream().filter(l -> l.contains("and back")).findFirst().orElseThrow()), lines.toString());
        }
    }
}
