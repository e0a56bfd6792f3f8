package io.github.wschat.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** The README's Spring Boot lines are ReadmeChatConfiguration.java, word for word, and they chat. */
@SpringBootTest(classes = ReadmeExampleTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadmeExampleTest {

    private static final String MARKER =
            "<!-- example: chat-examples/spring-boot/src/test/java/io/github/wschat/examples/readme/ReadmeChatConfiguration.java -->";

    /** A bare Boot application with nothing of wschat but the README's configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReadmeChatConfiguration.class)
    static class App {
    }

    @LocalServerPort
    int port;

    @Test
    void theReadmeShowsExactlyTheseLines() throws Exception {
        String readme = Files.readString(Path.of("..", "..", "README.md"));
        int marker = readme.indexOf(MARKER);
        assertTrue(marker >= 0, "README.md has the example marker");
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        String shown = readme.substring(start, readme.indexOf("```", start));
        String source = Files.readString(Path.of("src/test/java/io/github/wschat/examples/readme/ReadmeChatConfiguration.java"));
        assertEquals(source.substring(source.indexOf("@Configuration")), shown);
    }

    @Test
    void theyChat() throws Exception {
        JdkWebSocketConnector connector = new JdkWebSocketConnector();
        try {
            URI room = URI.create("ws://127.0.0.1:" + port + "/chat/readme");
            TckClient ann = connector.connect(URI.create(room + "?nick=ann"), Map.of(), List.of());
            TckClient bob = connector.connect(URI.create(room + "?nick=bob"), Map.of(), List.of());
            ann.send("hi");
            String line;
            do {
                line = bob.nextMessage(Duration.ofSeconds(20));
            } while (!line.startsWith("ann: "));
            assertEquals("ann: hi", line);
        } finally {
            connector.close();
        }
    }
}
