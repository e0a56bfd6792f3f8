package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 30-line page of docs/CLIENTS.md, served from another origin exactly as the document has it
 * (only the demo's two ports put in), chats with the demo through the web client package the demo
 * serves: it shows another member's line and the members, and its own line reaches the room.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientsExampleBrowserIT {

    private static final Path DOC = Path.of("..", "docs", "CLIENTS.md");
    private static final String MARKER = "<!-- the example page:";

    @Test
    void theExamplePageOfClientsMdChatsWithTheDemo() throws Exception {
        Browser.requireInstalled();
        String page = examplePage(Files.readString(DOC));
        HttpServer pageServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        int pagePort = pageServer.getAddress().getPort();
        try (Demo demo = Demo.start(ChatServer.builder().transport("netty").host("127.0.0.1").port(0), "127.0.0.1", 0,
                Optional.empty(), Optional.of(List.of("http://localhost:" + pagePort)))) {
            byte[] body = page.replace("http://localhost:8080/", "http://localhost:" + demo.pageAddress().getPort() + "/")
                    .replace("ws://localhost:12345/", "ws://localhost:" + demo.webSocketAddress().getPort() + "/")
                    .getBytes(StandardCharsets.UTF_8);
            pageServer.createContext("/", exchange -> {
                try (exchange; OutputStream out = exchange.getResponseBody()) {
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    out.write(body);
                }
            });
            pageServer.start();
            TckClient bob = new JdkWebSocketConnector().connect(
                    URI.create("ws://127.0.0.1:" + demo.webSocketAddress().getPort() + "/chat/lobby?nick=bob"), Map.of(),
                    List.of());
            try (Browser example = Browser.open("http://localhost:" + pagePort + "/")) {
                example.until("the page is welcomed", () -> log(example).contains("you are guest in lobby"));
                example.until("the page lists both members", () -> String.valueOf(
                        example.script("return document.getElementById('here').textContent")).equals("here: bob, guest"));
                bob.send("hello, example");
                example.until("the page shows bob's line", () -> log(example).contains("bob: hello, example"));
                example.type("line", "hi from 30 lines");
                bob.nextMessageMatching(m -> m.equals("guest: hi from 30 lines"), Duration.ofSeconds(20));
                example.until("the page shows its own line once", () -> log(example).stream()
                        .filter(l -> l.equals("guest: hi from 30 lines")).count() == 1);
                bob.close();
                example.until("the page shows bob leaving", () -> log(example).contains(" .... bob has left."));
                assertTrue(log(example).stream().noneMatch(l -> l.startsWith("not sent")), log(example).toString());
            }
        } finally {
            pageServer.stop(0);
        }
    }

    private static List<String> log(Browser page) {
        Object texts = page.script("return Array.from(document.querySelectorAll('#log li'), e => e.textContent);");
        return ((List<?>) texts).stream().map(String::valueOf).toList();
    }

    /** The html block that follows the marker in CLIENTS.md. */
    static String examplePage(String doc) {
        int marker = doc.indexOf(MARKER);
        assertTrue(marker >= 0, "CLIENTS.md has the example page's marker");
        int start = doc.indexOf("```html\n", marker) + "```html\n".length();
        int end = doc.indexOf("```", start);
        String page = doc.substring(start, end);
        assertTrue(page.lines().count() <= 32, "the example page is about 30 lines: " + page.lines().count());
        return page;
    }
}
