package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commands with ids (docs/PROTOCOL.md): each is acknowledged with the place its line took, after the
 * line itself; errors carry the id; a line resent with its id — also after a reconnect — is placed
 * once; ids are their sender's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AcknowledgedSendsTck {

    /**
     * The transport under test; a new instance or a shared one.
     *
     * @return the transport
     */
    protected abstract Transport transport();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final JdkWebSocketConnector connector = new JdkWebSocketConnector();
    private final ObjectMapper json = new ObjectMapper();
    private ChatServer server;
    private URI room;

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.builder().transport(transport()).host("127.0.0.1").port(0).rateLimit(1_000, 1_000).start();
        room = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/chat/acks");
    }

    @AfterEach
    void stop() {
        server.close();
        connector.close();
    }

    @Test
    void eachKindOfCommandWithAnIdIsAcknowledgedAfterItsLineWithThePlaceItTook() throws Exception {
        TckClient ann = join("ann");
        TckClient bob = join("bob");
        skipUntil(ann, "join", "bob");

        ann.send(command("say", "s1", "text", "hello"));
        JsonNode said = next(ann);
        assertEquals("message", said.get("type").asText());
        assertAck(next(ann), "s1", said);

        ann.send(command("me", "m1", "text", "waves"));
        JsonNode acted = next(ann);
        assertEquals("action", acted.get("type").asText());
        assertAck(next(ann), "m1", acted);

        ObjectNode whisper = json.createObjectNode().put("type", "msg").put("id", "p1").put("to", "bob").put("text", "psst");
        ann.send(whisper.toString());
        JsonNode whispered = next(ann);
        assertEquals("private", whispered.get("type").asText());
        assertAck(next(ann), "p1", whispered);

        ann.send(command("nick", "n1", "name", "anna"));
        JsonNode renamed = next(ann);
        assertEquals("rename", renamed.get("type").asText());
        assertAck(next(ann), "n1", renamed);
        ann.send(command("nick", "n2", "name", "anna"));
        JsonNode same = next(ann);
        assertEquals("ack", same.get("type").asText(), "a rename to the name one has: done, nothing placed");
        assertEquals("n2", same.get("id").asText());
        assertNull(same.get("seq"));

        ann.send("{\"type\":\"who\",\"id\":\"w1\"}");
        JsonNode members = next(ann);
        assertEquals("members", members.get("type").asText());
        assertEquals("w1", members.get("id").asText());

        skipUntil(bob, "rename", null);
        bob.send("{\"type\":\"say\",\"text\":\"no id, no ack\"}");
        assertEquals("message", next(bob).get("type").asText());
        bob.send(command("say", "b1", "text", "marker"));
        assertEquals("message", next(bob).get("type").asText());
        assertEquals("ack", next(bob).get("type").asText(), "the line without an id got no ack before it");
    }

    @Test
    void errorsCarryTheIdAndRefusedLinesAreNotPlaced() throws Exception {
        TckClient ann = join("ann");
        ann.send(json.createObjectNode().put("type", "msg").put("id", "e1").put("to", "nobody").put("text", "x").toString());
        assertError(next(ann), "e1", "no_such_member");
        ann.send(command("say", "e2", "text", "two\nlines"));
        assertError(next(ann), "e2", "malformed");
        ann.send(command("nick", "e3", "name", "not a nick"));
        assertError(next(ann), "e3", "invalid_nickname");
        ann.send("{\"type\":\"say\",\"id\":\"has space\",\"text\":\"x\"}");
        JsonNode badId = next(ann);
        assertError(badId, null, "malformed");
        ann.send("{\"type\":\"kick\",\"id\":\"k1\",\"nick\":\"ann\",\"reason\":\"x\"}");
        assertError(next(ann), "k1", "not_allowed");
        ann.send(command("say", "e4", "text", "after the errors"));
        JsonNode placed = next(ann);
        assertEquals("after the errors", placed.get("text").asText(), "no refused line was placed before it");
        assertAck(next(ann), "e4", placed);
    }

    @Test
    void aLineResentWithItsIdAfterAReconnectIsNotPlacedAgainAndGetsTheFirstAck() throws Exception {
        TckClient watcher = join("watcher");
        TckClient ann = join("ann");
        skipUntil(watcher, "join", "ann");
        ann.send(command("say", "r1", "text", "only once"));
        JsonNode line = next(ann);
        JsonNode first = next(ann);
        assertAck(first, "r1", line);
        skipUntil(watcher, "message", null);
        ann.close();
        skipUntil(watcher, "leave", "ann");

        TckClient again = join("ann");
        again.send(command("say", "r1", "text", "only once"));
        JsonNode repeat = next(again);
        assertEquals("ack", repeat.get("type").asText(), "the resent line is not placed again: " + repeat);
        assertEquals(first.get("epoch"), repeat.get("epoch"));
        assertEquals(first.get("seq"), repeat.get("seq"));
        again.send(command("say", "r2", "text", "marker"));

        List<String> seen = new ArrayList<>();
        JsonNode event;
        do {
            event = next(watcher);
            if (event.get("type").asText().equals("message")) {
                seen.add(event.get("text").asText());
            }
        } while (!seen.contains("marker"));
        assertEquals(List.of("marker"), seen, "the watcher saw the line once, before the reconnect");
    }

    @Test
    void anotherSendersEqualIdIsANewLine() throws Exception {
        TckClient ann = join("ann");
        TckClient bob = join("bob");
        skipUntil(ann, "join", "bob");
        ann.send(command("say", "same", "text", "from ann"));
        JsonNode annLine = next(ann);
        assertAck(next(ann), "same", annLine);
        skipUntil(bob, "message", null);
        bob.send(command("say", "same", "text", "from bob"));
        JsonNode bobLine = next(bob);
        assertEquals("from bob", bobLine.get("text").asText());
        JsonNode bobAck = next(bob);
        assertAck(bobAck, "same", bobLine);
        assertTrue(bobAck.get("seq").asLong() > annLine.get("seq").asLong());
    }

    @Test
    void oneIdSentTwiceAtOnceIsPlacedOnceAndAcknowledgedTwiceWithOnePlace() throws Exception {
        TckClient ann = join("ann");
        String twice = command("say", "t1", "text", "twice");
        ann.send(twice);
        ann.send(twice);
        ann.send(command("say", "t2", "text", "marker"));
        List<JsonNode> acks = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        while (acks.size() < 3) {
            JsonNode frame = next(ann);
            if (frame.get("type").asText().equals("ack")) {
                acks.add(frame);
            } else if (frame.get("type").asText().equals("message")) {
                lines.add(frame.get("text").asText());
            }
        }
        assertEquals(List.of("twice", "marker"), lines);
        assertEquals(acks.get(0).get("seq"), acks.get(1).get("seq"));
        assertFalse(acks.get(0).get("seq").equals(acks.get(2).get("seq")));
    }

    private TckClient join(String nick) throws Exception {
        TckClient client = connector.connect(URI.create(room + "?nick=" + nick), Map.of(), List.of(JsonFormat.SUBPROTOCOL));
        assertEquals("welcome", next(client).get("type").asText());
        await().atMost(WAIT).until(() -> server.room("acks").everyone().contains(nick));
        skipUntil(client, "join", nick);
        return client;
    }

    private String command(String type, String id, String field, String value) {
        return json.createObjectNode().put("type", type).put("id", id).put(field, value).toString();
    }

    private JsonNode next(TckClient client) throws Exception {
        return json.readTree(client.nextMessage(WAIT));
    }

    /** Reads until an event of this type (about this nick, if given). */
    private void skipUntil(TckClient client, String type, String nick) throws Exception {
        JsonNode event;
        do {
            event = next(client);
        } while (!event.get("type").asText().equals(type) || (nick != null && !nick.equals(event.path("nick").asText())));
    }

    private static void assertAck(JsonNode ack, String id, JsonNode line) {
        assertEquals("ack", ack.get("type").asText(), "an ack: " + ack);
        assertEquals(id, ack.get("id").asText());
        assertEquals(line.get("epoch"), ack.get("epoch"));
        assertEquals(line.get("seq"), ack.get("seq"), "the ack names the place of the line before it");
    }

    private static void assertError(JsonNode error, String id, String code) {
        assertEquals("error", error.get("type").asText(), "an error: " + error);
        assertEquals(code, error.get("code").asText());
        if (id == null) {
            assertNull(error.get("id"));
        } else {
            assertEquals(id, error.get("id").asText());
        }
    }
}
