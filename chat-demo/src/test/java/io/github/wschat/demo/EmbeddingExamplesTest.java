package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.app.Identity;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/EMBEDDING.md shows EmbeddingExamples' code word for word, and each example does what the page says. */
class EmbeddingExamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final JdkWebSocketConnector connector = new JdkWebSocketConnector();

    @AfterEach
    void closeClients() {
        connector.close();
    }

    private TckClient connect(ChatServer server, String target) throws HandshakeRefusedException {
        int before = server.memberCount();
        TckClient client = connector.connect(URI.create("ws://127.0.0.1:" + server.address().getPort() + target),
                Map.of(), List.of());
        await().atMost(WAIT).until(() -> server.memberCount() > before);
        return client;
    }

    @Test
    void everyExampleOnThePageIsTheCodeThatRuns() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "EMBEDDING.md"));
        String source = Files.readString(Path.of("src/test/java/io/github/wschat/demo/EmbeddingExamples.java"));
        Matcher shown = Pattern.compile("<!-- example: ([a-z-]+) -->\n```java\n(.*?)```", Pattern.DOTALL).matcher(page);
        int examples = 0;
        while (shown.find()) {
            String marker = "// example: " + shown.group(1) + "\n";
            int start = source.indexOf(marker);
            assertTrue(start >= 0, "EmbeddingExamples has " + marker.strip());
            start += marker.length();
            String code = source.substring(start, source.indexOf("        // end", start));
            assertEquals(code, shown.group(2), "the page's " + shown.group(1) + " example");
            examples++;
        }
        assertEquals(6, examples, "the page shows every example");
    }

    @Test
    void theWordFilterRewritesForEveryone() throws Exception {
        try (ChatServer server = EmbeddingExamples.start(EmbeddingExamples.wordFilter(ChatServer.builder()
                .announceJoins(false).historySize(0)))) {
            TckClient ann = connect(server, "/?nick=ann");
            TckClient bob = connect(server, "/?nick=bob");
            ann.send("darn, what the heck");
            assertEquals("ann: d**n, what the h**k", bob.nextMessage(WAIT));
            assertEquals("ann: d**n, what the h**k", ann.nextMessage(WAIT));
        }
    }

    @Test
    void theStaffRoomLetsOperatorsInAndRefusesOthersWith403() throws Exception {
        Map<String, Identity> users = Map.of("t-ann", Identity.of("u1", "operator"), "t-bob", Identity.of("u2"));
        try (ChatServer server = EmbeddingExamples.start(EmbeddingExamples.staffRoom(ChatServer.builder(), users))) {
            connect(server, "/chat/staff?token=t-ann&nick=ann");
            assertEquals(403, assertThrows(HandshakeRefusedException.class, () -> connector.connect(
                    URI.create("ws://127.0.0.1:" + server.address().getPort() + "/chat/staff?token=t-bob"), Map.of(),
                    List.of())).status());
            connect(server, "/chat/lobby?token=t-bob&nick=bob");
            assertEquals("u1", server.room("staff").members().get(0).identity().id());
        }
    }

    @Test
    void theModerationServiceRefusesShoutingAndItsSenderAloneIsTold() throws Exception {
        try (ChatServer server = EmbeddingExamples.start(EmbeddingExamples.moderationService(ChatServer.builder()
                .announceJoins(false).historySize(0), EmbeddingExamples.shoutingIsNotAcceptable()))) {
            TckClient ann = connect(server, "/?nick=ann");
            TckClient bob = connect(server, "/?nick=bob");
            ann.send("HELLO EVERYONE");
            ann.send("hello, quietly");
            assertEquals(List.of(" .... please do not shout", "ann: hello, quietly"), ann.nextMessages(2, WAIT));
            assertEquals("ann: hello, quietly", bob.nextMessage(WAIT));
        }
    }

    @Test
    void theHandlesPostAndMute() throws Exception {
        try (ChatServer server = EmbeddingExamples.start(ChatServer.builder().announceJoins(false).historySize(0))) {
            TckClient spammer = connect(server, "/?nick=spammer");
            TckClient ann = connect(server, "/?nick=ann");
            EmbeddingExamples.announceAndModerate(server);
            assertEquals(List.of(" *** The quiz starts at 8 pm.", " .... spammer is muted for 10m: too many links."),
                    ann.nextMessages(2, WAIT));
            spammer.nextMessages(2, WAIT);
            spammer.send("buy now");
            assertTrue(spammer.nextMessage(WAIT).startsWith(" .... you are muted for "));
        }
    }

    @Test
    void theWelcomeBotWhispersToEachJoiner() throws Exception {
        try (ChatServer server = EmbeddingExamples.start(ChatServer.builder().historySize(0))) {
            TckClient ann = connect(server, "/?nick=ann");
            assertEquals(" .... ann has joined.", ann.nextMessage(WAIT));
            EmbeddingExamples.welcomeBot(server);
            assertEquals(" .... greeter has joined.", ann.nextMessage(WAIT));
            TckClient bob = connect(server, "/?nick=bob");
            assertEquals(List.of(" .... bob has joined.", "[private] greeter -> bob: welcome! type /who to see who is here"),
                    bob.nextMessages(2, WAIT));
            assertEquals(" .... bob has joined.", ann.nextMessage(WAIT));
        }
    }

    @Test
    void everyLineIsSavedOnceWithItsPosition() throws Exception {
        List<String> saved = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ChatServer server = EmbeddingExamples.start(EmbeddingExamples.saveEveryLine(ChatServer.builder()
                .historySize(0).announceJoins(false), (room, epoch, seq, time, nick, text) -> saved.add(seq + " " + nick + ": " + text)))) {
            TckClient ann = connect(server, "/?nick=ann");
            TckClient bob = connect(server, "/?nick=bob");
            ann.send("one");
            bob.send("two");
            ann.send("three");
            ann.nextMessages(3, WAIT);
            await().atMost(WAIT).until(() -> saved.size() == 3);
            assertEquals(List.of("ann: one", "bob: two", "ann: three").stream().sorted().toList(),
                    saved.stream().map(s -> s.substring(s.indexOf(' ') + 1)).sorted().toList());
            assertEquals(saved.stream().sorted(java.util.Comparator.comparingLong(s -> Long.parseLong(s.split(" ")[0]))).toList(),
                    saved, "saved in the room's order");
        }
    }
}
