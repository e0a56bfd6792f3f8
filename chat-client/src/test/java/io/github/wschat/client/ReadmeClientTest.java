package io.github.wschat.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.transport.javawebsocket.JavaWebSocketTransport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's bot is TimeBot.java, word for word, and it answers. */
class ReadmeClientTest {

    private static final String MARKER = "<!-- example: chat-client/src/test/java/io/github/wschat/client/TimeBot.java -->";

    @Test
    void theReadmeShowsTheBotThatThisTestRuns() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int marker = readme.indexOf(MARKER);
        assertTrue(marker >= 0, "README.md has the bot's marker");
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        String shown = readme.substring(start, readme.indexOf("```", start));
        String source = Files.readString(Path.of("src/test/java/io/github/wschat/client/TimeBot.java"));
        assertEquals(source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).stripLeading(), shown);
    }

    @Test
    void theBotAnswersOnceAndItsAnswerIsAcknowledged() throws Exception {
        try (ChatServer server = ChatServer.builder().transport(new JavaWebSocketTransport()).host("127.0.0.1").port(0)
                .start()) {
            URI room = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/chat/lobby");
            try (ChatClient bot = TimeBot.start(room)) {
                bot.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
                List<ChatEvent.Message> heard = new CopyOnWriteArrayList<>();
                try (ChatClient ann = ChatClient.builder(room).nick("ann").listener(event -> {
                    if (event instanceof ChatEvent.Message m) {
                        heard.add(m);
                    }
                }).connect()) {
                    ann.say("!time").toCompletableFuture().get(30, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(30)).until(() -> heard.size() == 2);
                    assertEquals("clock", heard.get(1).from());
                    assertTrue(heard.get(1).text().startsWith("ann: it is "), heard.get(1).text());
                }
            }
        }
    }
}
