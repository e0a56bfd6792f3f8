package io.github.wschat.demo;

import io.github.wschat.server.ChatServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * The admin console in Chromium: an operator enters the API key, picks the lobby, sees the member and
 * bans it with a click; the member's own page shows the 4003 close. The console's screenshot lands in
 * target/screenshots/admin.png (README's docs/admin.png is one).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminConsoleBrowserIT {

    private static final String KEY = "console-key-0123456789";

    @Test
    void anOperatorBansAMemberFromTheConsoleAndTheMembersPageShows4003() throws Exception {
        Browser.requireInstalled();
        try (Demo demo = Demo.start(ChatServer.builder().transport("netty").host("127.0.0.1").port(0), "127.0.0.1", 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("console", KEY));
                Browser member = Browser.open("http://localhost:" + demo.pageAddress().getPort() + "/");
                Browser admin = Browser.open("http://localhost:" + demo.pageAddress().getPort() + "/admin")) {
            member.awaitOnline();
            member.type("nick-input", "eve");
            member.until("eve is her name", () -> member.members().contains("eve"));
            member.say("hello from eve");
            admin.type("key-input", KEY);
            admin.until("the console lists the lobby", () -> !admin.driver()
                    .findElements(By.cssSelector("#rooms tr[data-room='lobby']")).isEmpty());
            click(admin, "#rooms tr[data-room='lobby']");
            admin.until("the console lists eve and her line", () -> !admin.driver()
                    .findElements(By.cssSelector("#members tr[data-nick='eve'] button[data-action='ban']")).isEmpty()
                    && text(admin, "#lines").contains("eve: hello from eve"));
            admin.screenshot(Path.of("target", "screenshots", "admin.png"));
            click(admin, "#members tr[data-nick='eve'] button[data-action='ban']");
            member.until("eve's page shows the ban's close", () -> member.lines().stream()
                    .anyMatch(l -> l.startsWith("disconnected (4003: banned for 1h: banned from the console")));
            admin.until("the console tells it was done", () -> text(admin, "#outcome").equals("ban 1h eve"));
            admin.until("eve is gone from the console", () -> admin.driver()
                    .findElements(By.cssSelector("#members tr[data-nick='eve']")).isEmpty());
        }
    }

    /**
     * Clicks the element in one script: the console redraws its tables every poll, so an element found
     * by one call may be gone by the next.
     */
    private static void click(Browser page, String selector) {
        page.script("document.querySelector(arguments[0]).click();", selector);
    }

    private static String text(Browser page, String selector) {
        return String.valueOf(page.script("return document.querySelector(arguments[0]).innerText;", selector));
    }
}
