package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.wschat.server.ChatServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Common Lisp Cookbook's own page, served unchanged, chats with the project's page in one room.
 * The page is read at run time from the seed beside the project (../shared/seed); where it is not
 * there (a user's clone) the test is skipped, under CI it fails. The seed's page connects to
 * ws://localhost:12345/, so the chat takes that port.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeedPageBrowserIT {

    private static final Path SEED = Path.of("..", "..", "shared", "seed", "000_4f7f74f7a6dec04e.txt");
    private static final int SEED_PORT = 12345;

    @Test
    void theSeedsOwnPageChatsWithTheProjectsPage() throws Exception {
        Browser.requireInstalled();
        require(Files.isRegularFile(SEED), "the seed's page is read from " + SEED.toAbsolutePath()
                + ", which this clone does not have");
        require(portIsFree(SEED_PORT), "the seed's page needs port " + SEED_PORT + ", which is in use");
        byte[] seedPage = seedPage(Files.readString(SEED)).getBytes(StandardCharsets.UTF_8);

        HttpServer seedServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        seedServer.createContext("/", exchange -> {
            try (exchange; OutputStream out = exchange.getResponseBody()) {
                exchange.getResponseHeaders().set("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, seedPage.length);
                out.write(seedPage);
            }
        });
        seedServer.start();
        int seedPagePort = seedServer.getAddress().getPort();
        int projectPagePort = freePort();
        try (Demo demo = Demo.start(ChatServer.builder().transport("java-websocket").host("127.0.0.1").port(SEED_PORT), "127.0.0.1",
                projectPagePort, Optional.empty(),
                Optional.of(List.of("http://localhost:" + seedPagePort, "http://localhost:" + projectPagePort)));
                Browser seed = Browser.open("http://localhost:" + seedPagePort + "/");
                Browser project = Browser.open("http://localhost:" + demo.pageAddress().getPort() + "/")) {
            project.awaitOnline();
            project.until("the seed's page has joined", () -> project.members().size() == 2);
            seed.type("chat-input", "hello from the Cookbook's page");
            project.until("the project's page shows the seed's line",
                    () -> project.lines().stream().anyMatch(l -> l.contains("hello from the Cookbook's page")));
            project.say("hello back from wschat");
            seed.until("the seed's page shows it as a seed line", () -> seed.lines().stream()
                    .anyMatch(l -> l.matches("user-\\d+: hello back from wschat")));
            assertTrue(seed.lines().stream().anyMatch(l -> l.matches("user-\\d+: hello from the Cookbook's page")),
                    seed.lines().toString());
        } finally {
            seedServer.stop(0);
        }
    }

    private static void require(boolean condition, String why) {
        if (!condition && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        Assumptions.assumeTrue(condition, why);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /**
     * The page of the seed's complete program: the value of its last {@code (defvar *html* "...")},
     * read as Lisp reads a string ({@code \"} is a quote, {@code \\} a backslash).
     */
    static String seedPage(String seed) {
        int defvar = seed.lastIndexOf("(defvar *html*");
        int start = seed.indexOf('"', defvar) + 1;
        StringBuilder page = new StringBuilder();
        for (int i = start; i < seed.length(); i++) {
            char c = seed.charAt(i);
            if (c == '\\') {
                page.append(seed.charAt(++i));
            } else if (c == '"') {
                return page.toString();
            } else {
                page.append(c);
            }
        }
        throw new IllegalArgumentException("the seed's *html* string does not end");
    }
}
