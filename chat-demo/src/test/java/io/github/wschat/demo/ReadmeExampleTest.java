package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's embedding example is EmbeddedChat.java, word for word, and it works. */
class ReadmeExampleTest {

    private static final String MARKER = "<!-- example: chat-demo/src/test/java/io/github/wschat/demo/EmbeddedChat.java -->";

    @Test
    void theReadmeShowsExactlyTheCodeThatThisTestRuns() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int marker = readme.indexOf(MARKER);
        assertTrue(marker >= 0, "README.md has the example marker");
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        int end = readme.indexOf("```", start);
        String shown = readme.substring(start, end);
        String source = Files.readString(Path.of("src/test/java/io/github/wschat/demo/EmbeddedChat.java"));
        String compiled = source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).stripLeading();
        assertEquals(compiled, shown);
    }

    @Test
    void theExampleServesTheSeedsChat() throws Exception {
        try (ChatServer server = EmbeddedChat.start("127.0.0.1", 0)) {
            JdkWebSocketConnector connector = new JdkWebSocketConnector();
            URI uri = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/chat");
            TckClient ann = connector.connect(uri, Map.of(), List.of());
            TckClient bob = connector.connect(uri, Map.of(), List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.memberCount() == 2);
            ann.send("hi");
            String line = ChatLines.nextSaid(bob, Duration.ofSeconds(10));
            assertTrue(line.matches("user-\\d+: hi"), line);
            assertEquals(line, ChatLines.nextSaid(ann, Duration.ofSeconds(10)));
        }
    }
}
