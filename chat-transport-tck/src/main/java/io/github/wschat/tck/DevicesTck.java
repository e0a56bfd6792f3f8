package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wschat.CloseCodes;
import io.github.wschat.app.ChatMember;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.server.ChatServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * People, not sockets, over real sockets: one identity on two or three connections (tabs, phones) is
 * one member of a room — one join, every event on every device, acknowledgements to the sending device
 * alone, a rename from one device seen on all, one leave after the last device; a kick and a ban close
 * every device; the connection after the bound is refused with 429. Subclass it with the transport.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class DevicesTck extends ProgramTckSupport {

    private ChatServer.Builder people() {
        return chat().announceJoins(true).authenticator(ProgramTckSupport::byToken);
    }

    /** A JSON device, once its welcome arrived: the welcome. */
    private JsonNode welcome(TckClient device) throws Exception {
        JsonNode welcome = json.readTree(device.nextMessage(WAIT));
        assertEquals("welcome", welcome.get("type").asText(), welcome.toString());
        return welcome;
    }

    private TckClient device(ChatServer server, String target) throws Exception {
        return connector.connect(uri(server, target), Map.of(), List.of(JsonFormat.SUBPROTOCOL));
    }

    /** The next event of the given types, skipping others, as "type field…". */
    private String next(TckClient device, String... types) throws Exception {
        List<String> wanted = List.of(types);
        while (true) {
            JsonNode event = json.readTree(device.nextMessage(WAIT));
            String type = event.get("type").asText();
            if (wanted.contains(type)) {
                return switch (type) {
                    case "message" -> "message " + event.get("from").asText() + ": " + event.get("text").asText();
                    case "join", "leave" -> type + " " + event.get("nick").asText();
                    case "rename" -> "rename " + event.get("from").asText() + " -> " + event.get("to").asText();
                    case "ack" -> "ack " + event.get("id").asText();
                    default -> event.toString();
                };
            }
        }
    }

    @Test
    void threeDevicesOfOnePersonAreOneMemberThatJoinsOnceAndLeavesAfterTheLast() throws Exception {
        try (ChatServer server = people().start()) {
            TckClient bob = device(server, "/?token=bob");
            welcome(bob);
            assertEquals("join bob", next(bob, "join"));
            TckClient laptop = device(server, "/?token=alice");
            welcome(laptop);
            assertEquals("join alice", next(bob, "join"));
            TckClient phone = device(server, "/?token=alice");
            JsonNode second = welcome(phone);
            assertEquals("alice", second.get("nick").asText(), "a second device is the same member");
            assertEquals(List.of("bob", "alice"), names(second.get("members")), "listed once");
            TckClient tab = device(server, "/?token=alice&nick=someone-else");
            assertEquals("alice", welcome(tab).get("nick").asText(), "a device joins its person's member, by its name");
            await().atMost(WAIT).until(() -> server.room("lobby").members().stream().anyMatch(m -> m.devices() == 3));
            assertEquals(List.of(new ChatMember("bob", server.room("lobby").members().get(0).identity(), 1),
                    new ChatMember("alice", server.room("lobby").members().get(1).identity(), 3)),
                    server.room("lobby").members());
            assertEquals(2, server.memberCount(), "two people");

            phone.send("{\"type\":\"say\",\"text\":\"from my phone\",\"id\":\"p1\"}");
            assertEquals(java.util.Set.of("ack p1", "message alice: from my phone"),
                    java.util.Set.of(next(phone, "ack", "message"), next(phone, "ack", "message")),
                    "the sender's device gets its line and its ack, in either order");
            for (TckClient device : List.of(bob, laptop, tab)) {
                assertEquals("message alice: from my phone", next(device, "message", "ack"),
                        "every device, the sender's others included, gets the line and no ack");
            }

            tab.send("{\"type\":\"nick\",\"name\":\"ally\",\"id\":\"n1\"}");
            for (TckClient device : List.of(bob, laptop, phone, tab)) {
                assertEquals("rename alice -> ally", next(device, "rename"));
            }
            laptop.send("{\"type\":\"say\",\"text\":\"still me\"}");
            assertEquals("message ally: still me", next(bob, "message"), "every device goes by the new name");

            laptop.close(1000, "closing the laptop");
            phone.close(1000, "phone off");
            bob.send("{\"type\":\"say\",\"text\":\"ping\"}");
            assertEquals("message bob: ping", next(bob, "message", "leave"), "no leave while a device is left");
            tab.close(1000, "last tab");
            assertEquals("leave ally", next(bob, "leave", "message"));
            await().atMost(WAIT).until(() -> server.room("lobby").members().size() == 1);
            assertTrue(!server.room("lobby").everyone().contains("ally"));
        }
    }

    @Test
    void aKickClosesEveryDeviceOfTheMemberAndABanEveryDeviceInEveryRoom() throws Exception {
        try (ChatServer server = people().start()) {
            TckClient ann = device(server, "/?token=ann");
            welcome(ann);
            List<TckClient> eves = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                eves.add(device(server, "/?token=eve"));
                welcome(eves.get(i));
            }
            server.room("lobby").kick("eve", "spamming").toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (TckClient eve : eves) {
                assertEquals(new CloseStatus(CloseCodes.REMOVED, "removed: spamming"), eve.awaitClose(WAIT));
            }
            assertEquals("leave eve", next(ann, "leave"));

            List<TckClient> again = new ArrayList<>();
            for (String target : List.of("/?token=eve", "/?token=eve", "/chat/elsewhere?token=eve")) {
                again.add(device(server, target));
                welcome(again.get(again.size() - 1));
            }
            server.room("lobby").ban("eve", Duration.ofHours(1), "again").toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (TckClient eve : again) {
                assertEquals(CloseCodes.BANNED, eve.awaitClose(WAIT).code(), "every device, in every room");
            }
            assertEquals(403, assertThrows(HandshakeRefusedException.class,
                    () -> device(server, "/?token=eve")).status());
        }
    }

    @Test
    void theEleventhConnectionOfOneUserIsRefusedWith429AndAClosedOneMakesRoom() throws Exception {
        try (ChatServer server = people().start()) {
            List<TckClient> tabs = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // the default bound, over every room
                tabs.add(device(server, i % 2 == 0 ? "/chat/other?token=alice" : "/?token=alice"));
                welcome(tabs.get(i));
            }
            HandshakeRefusedException refused = assertThrows(HandshakeRefusedException.class,
                    () -> device(server, "/?token=alice"));
            assertEquals(429, refused.status());
            TckClient bob = device(server, "/?token=bob");
            welcome(bob);
            tabs.get(0).close(1000, "one tab fewer");
            tabs.get(0).awaitClose(WAIT);
            await().atMost(WAIT).ignoreExceptionsInstanceOf(HandshakeRefusedException.class)
                    .until(() -> welcome(device(server, "/?token=alice")) != null);
        }
    }

    @Test
    void anAnonymousMemberIsOneConnectionAndItsNicknameIsRefusedToAnother() throws Exception {
        try (ChatServer server = chat().start()) {
            TckClient ann = device(server, "/?nick=ann");
            welcome(ann);
            assertEquals(409, assertThrows(HandshakeRefusedException.class, () -> device(server, "/?nick=ann")).status());
        }
    }

    /** Bob, welcomed and past his own join. */
    private TckClient watcher(ChatServer server) throws Exception {
        TckClient bob = device(server, "/?token=bob");
        welcome(bob);
        assertEquals("join bob", next(bob, "join"));
        return bob;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    @Test
    void withALeaveGraceAReloadIsNeitherALeaveNorAJoinAndAnAbsenceIsALeaveWhenItEnds() throws Exception {
        try (ChatServer server = people().leaveGrace(Duration.ofMinutes(5)).start()) {
            TckClient bob = watcher(server);
            TckClient alice = device(server, "/?token=alice");
            welcome(alice);
            assertEquals("join alice", next(bob, "join"));
            alice.close(1000, "reloading the page");
            await().atMost(WAIT).until(() -> server.room("lobby").members().stream()
                    .anyMatch(m -> m.nick().equals("alice") && m.away()));
            TckClient reloaded = device(server, "/?token=alice");
            assertEquals(List.of("bob", "alice"), names(welcome(reloaded).get("members")), "listed once, as before");
            reloaded.send("{\"type\":\"say\",\"text\":\"back\"}");
            assertEquals("message alice: back", next(bob, "message", "join", "leave"), "no leave and no join came first");
            await().atMost(WAIT).until(() -> server.room("lobby").members().stream()
                    .anyMatch(m -> m.nick().equals("alice") && m.devices() == 1));
        }
        try (ChatServer server = people().leaveGrace(Duration.ofMillis(300)).start()) {
            TckClient bob = watcher(server);
            TckClient alice = device(server, "/?token=alice");
            welcome(alice);
            assertEquals("join alice", next(bob, "join"));
            alice.close(1000, "gone for good");
            assertEquals("leave alice", next(bob, "leave", "message"), "the leave, once the grace ended");
            await().atMost(WAIT).until(() -> server.room("lobby").members().size() == 1);
            assertEquals("alice", welcome(device(server, "/?token=carl&nick=alice")).get("nick").asText(),
                    "her name is free once her leave is read");
        }
    }
}
