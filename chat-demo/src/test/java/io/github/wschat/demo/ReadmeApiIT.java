package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's API example, run as written — each {@code curl} command of its block, with only the demo's
 * port put in — against the demo with that key and bob in the lobby: the members list names bob, the
 * notice reaches him once, the kick closes him with 4001.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeApiIT {

    private static final Path README = Path.of("..", "README.md");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theCurlCommandsOfReadmeListPostAndKick() throws Exception {
        requireCurl();
        List<String> commands = curlCommands(Files.readString(README));
        assertEquals(3, commands.size(), commands.toString());
        try (Demo demo = Demo.start(ChatServer.builder().transport("netty").host("127.0.0.1").port(0), "127.0.0.1", 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("backend", "change-me-0123456789"))) {
            TckClient bob = new JdkWebSocketConnector().connect(URI.create("ws://127.0.0.1:"
                    + demo.webSocketAddress().getPort() + "/chat/lobby?nick=bob"), Map.of(), List.of());
            bob.send("hi");
            bob.nextMessageMatching(m -> m.equals("bob: hi"), WAIT);
            String port = "127.0.0.1:" + demo.pageAddress().getPort();
            String members = run(commands.get(0).replace("localhost:8080", port));
            assertTrue(members.contains("\"nick\":\"bob\""), members);
            String posted = run(commands.get(1).replace("localhost:8080", port));
            assertTrue(posted.contains("\"seq\""), posted);
            String retried = run(commands.get(1).replace("localhost:8080", port)); // as a retry would be
            assertTrue(retried.contains("\"repeated\":true"), retried);
            run(commands.get(2).replace("localhost:8080", port));
            int notices = 0;
            while (true) {
                String line = bob.nextMessage(WAIT);
                if (line.contains("the quiz starts at 8")) {
                    notices++;
                }
                if (line.contains("bob") && line.contains("spamming")) {
                    break; // the removal, before the close
                }
            }
            assertEquals(1, notices, "the notice placed once");
            assertEquals(4001, bob.awaitClose(WAIT).code());
        }
    }

    /** The curl commands of the block after the marker, each joined across its line continuations. */
    static List<String> curlCommands(String readme) {
        int marker = readme.indexOf("<!-- the API example:");
        assertTrue(marker >= 0, "README has the API example's marker");
        int start = readme.indexOf("```sh\n", marker) + "```sh\n".length();
        String block = readme.substring(start, readme.indexOf("```", start)).replace("\\\n", " ");
        return block.lines().map(String::trim).filter(l -> l.startsWith("curl ")).toList();
    }

    private static String run(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), command + ": " + out);
        return out;
    }

    private static void requireCurl() throws Exception {
        boolean found = new ProcessBuilder("bash", "-c", "command -v curl").start().waitFor() == 0;
        if (!found && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run README's API example: curl is missing (apt-get install curl)");
        }
        Assumptions.assumeTrue(found, "README's API example needs curl: sudo apt-get install curl");
    }
}
