package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.Handshake;
import io.github.wschat.broker.InProcessBroker;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.protocol.PlainTextFormat;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.TestConnection;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rooms, presence, history, nicknames and both wire formats, with connections in memory. */
class ChatFeaturesTest {

    private static final long NOW = 1_764_000_000_000L;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger numbers = new AtomicInteger(100);
    private final NicknameRegistry nicknames = new NicknameRegistry(bound -> numbers.incrementAndGet());
    private final Rooms rooms = new Rooms(new InProcessBroker(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)), new HistoryBudget(3, 1 << 18, 1 << 26), ChatMetrics.NONE, Moderation.local());
    private final ChatEndpoint endpoint = new ChatEndpoint(new SessionContext(rooms, nicknames,
            () -> new FloodGuard(1000, 1000, System::nanoTime), true, LineFilters.none(), Moderation.local(), "operator",
            ChatMetrics.NONE), new HandshakePolicy(Set.of("*"), 100, 100), HandshakeAuthenticator.ANYONE, List.of(), 100,
            List.of(PlainTextFormat.INSTANCE, JsonFormat.INSTANCE), new io.github.wschat.presence.ConnectionQuota(10));

    private Admission admit(String target, String... subprotocols) {
        return endpoint.admit(handshake(target, subprotocols));
    }

    private static Handshake handshake(String target, String... subprotocols) {
        Map<String, List<String>> headers = subprotocols.length == 0 ? Map.of()
                : Map.of("Sec-WebSocket-Protocol", List.of(String.join(", ", subprotocols)));
        return Handshake.of(target, headers, new InetSocketAddress("127.0.0.1", 40000));
    }

    private TestConnection join(String target, String... subprotocols) {
        Handshake handshake = handshake(target, subprotocols);
        Admission admission = endpoint.admit(handshake);
        assertTrue(admission.accepted(), admission.reason());
        TestConnection connection = new TestConnection("c" + numbers.get(), handshake, admission.subprotocol());
        endpoint.connected(connection);
        connection.open();
        return connection;
    }

    private JsonNode read(String frame) throws Exception {
        return json.readTree(frame);
    }

    @Test
    void joinsAreAnnouncedAndALateJoinerGetsTheLastLinesBeforeLiveOnes() {
        TestConnection ann = join("/chat/tea");
        ann.receive("one");
        ann.receive("two");
        ann.receive("three");
        TestConnection bob = join("/chat/tea");
        ann.receive("four");
        assertEquals(List.of(" .... user-101 has joined.", "user-101: one", "user-101: two", "user-101: three",
                " .... user-102 has joined.", "user-101: four"), ann.sent);
        assertEquals(List.of("user-101: one", "user-101: two", "user-101: three",
                " .... user-102 has joined.", "user-101: four"), bob.sent, "history is the last 3 lines, then live");
    }

    @Test
    void aRenameIsSeenByEveryoneAndAnInvalidOrTakenNameIsAnErrorToTheAskerAlone() {
        TestConnection ann = join("/");
        TestConnection bob = join("/");
        ann.sent.clear();
        bob.sent.clear();
        ann.receive("/nick Ann");
        ann.receive("/nick USER-102");
        ann.receive("/nick has space");
        ann.receive("/nick " + "x".repeat(33));
        ann.receive("/nick ann");
        ann.receive("hi");
        assertEquals(List.of(" .... user-101 is now known as Ann.", " .... Ann is now known as ann.", "ann: hi"), bob.sent);
        assertEquals(List.of(" .... user-101 is now known as Ann.", " .... nickname in use: USER-102",
                " .... usage: /nick NAME", " .... a nickname is 1-32 of A-Z a-z 0-9 . _ -: " + "x".repeat(33),
                " .... Ann is now known as ann.", "ann: hi"), ann.sent);
        assertTrue(nicknames.isTaken("ANN"));
        assertFalse(nicknames.isTaken("user-101"), "the old name is free again");
    }

    @Test
    void whoMsgAndMeAndUnknownCommands() {
        TestConnection ann = join("/");
        TestConnection bob = join("/");
        TestConnection eve = join("/");
        ann.sent.clear();
        bob.sent.clear();
        eve.sent.clear();
        ann.receive("/who");
        ann.receive("/msg USER-102 psst, bob");
        ann.receive("/msg nobody hello?");
        ann.receive("/me waves");
        ann.receive("/dance");
        ann.receive("//slash at the start");
        assertEquals(List.of(" .... in lobby: user-101, user-102, user-103", "[private] user-101 -> user-102: psst, bob",
                " .... no one called nobody in lobby", "* user-101 waves",
                " .... unknown command /dance; commands: /nick NAME, /who, /msg NICK TEXT, /me ACTION; "
                        + "start a line with // to say something that starts with /",
                "user-101: /slash at the start"), ann.sent);
        assertEquals(List.of("[private] user-101 -> user-102: psst, bob", "* user-101 waves",
                "user-101: /slash at the start"), bob.sent);
        assertEquals(List.of("* user-101 waves", "user-101: /slash at the start"), eve.sent, "eve saw no private line");
    }

    @Test
    void aJsonClientGetsAWelcomeThenTypedEventsAndAMalformedFrameOnlyAnError() throws Exception {
        TestConnection plain = join("/chat/x");
        plain.receive("before");
        TestConnection rich = join("/chat/x?nick=rita", "wschat.v1.json");
        assertEquals("wschat.v1.json", rich.subprotocol());
        JsonNode welcome = read(rich.sent.get(0));
        assertEquals("welcome", welcome.get("type").asText());
        assertEquals("rita", welcome.get("nick").asText());
        assertEquals("x", welcome.get("room").asText());
        assertEquals("[\"user-101\",\"rita\"]", welcome.get("members").toString());
        String epoch = "\"epoch\":\"" + welcome.get("epoch").asText() + "\",";
        assertEquals(8, welcome.get("epoch").asText().length());
        assertEquals("{\"type\":\"message\"," + epoch + "\"seq\":2,\"time\":" + NOW + ",\"from\":\"user-101\",\"text\":\"before\"}",
                welcome.get("history").get(1).toString());
        assertEquals("{\"type\":\"join\"," + epoch + "\"seq\":3,\"time\":" + NOW + ",\"nick\":\"rita\"}", rich.sent.get(1));

        rich.receive("{\"type\":\"say\",\"text\":\"hello <b>all</b>\"}");
        rich.receive("{not json");
        rich.receive("{\"type\":\"msg\",\"to\":\"user-101\"}");
        rich.receive("{\"type\":\"nick\",\"name\":\"rita2\"}");
        rich.receive("{\"type\":\"who\"}");
        assertEquals("{\"type\":\"message\"," + epoch + "\"seq\":4,\"time\":" + NOW + ",\"from\":\"rita\",\"text\":\"hello <b>all</b>\"}",
                rich.sent.get(2));
        assertEquals("malformed", read(rich.sent.get(3)).get("code").asText());
        assertEquals("malformed", read(rich.sent.get(4)).get("code").asText());
        assertEquals("{\"type\":\"rename\"," + epoch + "\"seq\":5,\"time\":" + NOW + ",\"from\":\"rita\",\"to\":\"rita2\"}", rich.sent.get(5));
        assertEquals("{\"type\":\"members\",\"room\":\"x\",\"members\":[\"user-101\",\"rita2\"]}", rich.sent.get(6));
        assertTrue(rich.isOpen(), "errors never close the connection");
        assertEquals(List.of(" .... user-101 has joined.", "user-101: before", " .... rita has joined.", "rita: hello <b>all</b>",
                " .... rita is now known as rita2."), plain.sent, "the plain client sees plain lines only");
    }

    @Test
    void aNicknameAskedForInTheQueryFollowsTheRules() {
        join("/?nick=zoe");
        assertEquals(409, admit("/?nick=ZOE").status());
        assertEquals(400, admit("/?nick=z%20e").status());
        assertEquals(400, admit("/?nick=").status());
        assertTrue(admit("/?nick=zed").accepted());
    }

    @Test
    void privateLinesStayOutOfHistoryAndALeaveIsHistoryToo() {
        TestConnection ann = join("/chat/h");
        TestConnection bob = join("/chat/h");
        ann.receive("/msg user-102 secret");
        bob.drop();
        TestConnection cat = join("/chat/h");
        assertEquals(List.of(" .... user-101 has joined.", " .... user-102 has joined.", " .... user-102 has left.",
                " .... user-103 has joined."), cat.sent);
    }

    @Test
    void whoeverReadsALeaveFindsTheLeaverGoneFromTheRoom() {
        TestConnection ann = join("/chat/gone");
        TestConnection bob = join("/chat/gone");
        List<List<String>> membersOnReading = new java.util.concurrent.CopyOnWriteArrayList<>();
        ann.onSent(text -> {
            if (text.endsWith("has left.")) {
                membersOnReading.add(rooms.find("gone").orElseThrow().nicks());
            }
        });
        bob.drop();
        assertEquals(List.of(List.of("user-101")), membersOnReading, "a kick or members() at that moment finds bob gone");
        ann.drop();
        assertTrue(rooms.find("gone").isEmpty(), "the last one out drops the room");
    }

    @Test
    void aClientThatResumesGetsExactlyTheEventsAfterItsPositionOrIsToldItMissedSome() throws Exception {
        TestConnection ann = join("/chat/r?nick=ann", "wschat.v1.json");
        String epoch = read(ann.sent.get(0)).get("epoch").asText();
        TestConnection bob = join("/chat/r?nick=bob"); // seq 2: bob's join
        bob.receive("one");   // 3
        bob.receive("two");   // 4
        bob.receive("three"); // 5

        JsonNode resumed = read(join("/chat/r?nick=ann2&since=" + epoch + ":3", "wschat.v1.json").sent.get(0));
        assertFalse(resumed.get("missed").asBoolean(), resumed.toString());
        assertEquals(List.of(4L, 5L), seqs(resumed), "exactly the events after seq 3");

        JsonNode current = read(join("/chat/r?nick=ann3&since=" + epoch + ":7", "wschat.v1.json").sent.get(0));
        assertFalse(current.get("missed").asBoolean());
        assertEquals(List.of(), seqs(current), "up to date: nothing to replay");

        // The history holds 3 public events (4, 5, 6: the joins above are events too): seq 1 is gone.
        JsonNode late = read(join("/chat/r?nick=ann4&since=" + epoch + ":1", "wschat.v1.json").sent.get(0));
        assertTrue(late.get("missed").asBoolean(), late.toString());

        JsonNode otherEpoch = read(join("/chat/r?nick=ann5&since=00000000:3", "wschat.v1.json").sent.get(0));
        assertTrue(otherEpoch.get("missed").asBoolean(), "an epoch that is gone");
        assertFalse(read(ann.sent.get(0)).has("missed"), "no since, no missed");

        assertEquals(400, endpoint.admit(handshake("/chat/r?since=yesterday")).status());
    }

    private List<Long> seqs(JsonNode welcome) {
        List<Long> seqs = new java.util.ArrayList<>();
        welcome.get("history").forEach(e -> seqs.add(e.get("seq").asLong()));
        return seqs;
    }
}
