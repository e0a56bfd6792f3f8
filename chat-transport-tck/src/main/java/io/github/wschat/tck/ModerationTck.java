package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.CloseCodes;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.app.JoinVerdict;
import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The application's moderation over real sockets: kicks, mutes and bans, from handles and from operators' commands. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ModerationTck extends ProgramTckSupport {

    @Test
    void aKickClosesTheMemberWith4001AndTheRoomHearsWhoAndWhy() throws Exception {
        try (ChatServer server = chat().start()) {
            TckClient ann = member(server, "/?nick=ann");
            TckClient bob = member(server, "/?nick=bob");
            server.room("lobby").kick("bob", "spamming").toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(" .... bob was removed: spamming.", " .... bob has left."), ann.nextMessages(2, WAIT));
            assertEquals(" .... bob was removed: spamming.", bob.nextMessage(WAIT), "the removed member hears it too");
            assertEquals(new CloseStatus(CloseCodes.REMOVED, "removed: spamming"), bob.awaitClose(WAIT));
            // The leave is published a moment before the room drops the member (Rooms.leave): wait
            // until the room no longer lists bob, as an application would see it.
            await().atMost(WAIT).until(() -> !server.room("lobby").everyone().contains("bob")
                    && server.room("lobby").members().stream().noneMatch(m -> m.nick().equals("bob")));
            ExecutionException nobody = assertThrows(ExecutionException.class,
                    () -> server.room("lobby").kick("bob", "again").toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(nobody.getCause() instanceof NoSuchElementException, nobody.toString());
            TckClient back = member(server, "/?nick=bob");
            back.send("I am back");
            assertEquals("bob: I am back", ann.nextMessage(WAIT), "a kick is not a ban");
        }
    }

    @Test
    void aMutedMemberStillReadsButItsLinesAreRefusedUntilTheMuteEndsOrIsLifted() throws Exception {
        try (ChatServer server = chat().authenticator(ProgrammableChatTck::byToken).start()) {
            TckClient ann = member(server, "/?token=ann");
            TckClient bob = member(server, "/?token=bob", JsonFormat.SUBPROTOCOL);
            assertEquals("welcome", json.readTree(bob.nextMessage(WAIT)).get("type").asText());
            server.room("lobby").mute("bob", Duration.ofMinutes(10), "shouting").toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(" .... bob is muted for 10m: shouting.", ann.nextMessage(WAIT));
            JsonNode muted = json.readTree(bob.nextMessage(WAIT));
            assertEquals("muted", muted.get("type").asText());
            assertEquals(600_000, muted.get("until").asLong() - muted.get("time").asLong());
            bob.send("{\"type\":\"say\",\"text\":\"LOUD\"}");
            JsonNode refused = json.readTree(bob.nextMessage(WAIT));
            assertEquals("muted", refused.get("code").asText(), refused.toString());
            assertTrue(refused.get("text").asText().startsWith("you are muted for "), refused.toString());
            ann.send("still there?");
            assertEquals("ann: still there?", ann.nextMessage(WAIT), "bob's line reached no one");
            assertEquals("still there?", json.readTree(bob.nextMessage(WAIT)).get("text").asText(), "bob still reads");

            bob.close();
            assertEquals(" .... bob has left.", ann.nextMessage(WAIT));
            TckClient again = member(server, "/?token=bob");
            again.send("LOUD");
            assertTrue(again.nextMessage(WAIT).startsWith(" .... you are muted for "), "the mute follows the identity");
            server.room("lobby").unmute("bob").toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(" .... bob may speak again.", again.nextMessage(WAIT));
            again.send("thanks");
            assertEquals(List.of(" .... bob may speak again.", "bob: thanks"),
                    List.of(ann.nextMessage(WAIT), ann.nextMessage(WAIT)));
        }
    }

    @Test
    void aBanClosesTheMemberWith4003AndRefusesItsIdentityWith403() throws Exception {
        try (ChatServer server = chat().authenticator(ProgrammableChatTck::byToken).start()) {
            TckClient ann = member(server, "/?token=ann");
            TckClient eve = member(server, "/?token=eve");
            TckClient eveElsewhere = member(server, "/chat/elsewhere?token=eve&nick=eve2");
            server.room("lobby").ban("eve", Duration.ofHours(1), "spamming").toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(" .... eve was banned for 1h: spamming.", " .... eve has left."), ann.nextMessages(2, WAIT));
            assertEquals(new CloseStatus(CloseCodes.BANNED, "banned for 1h: spamming"), eve.awaitClose(WAIT));
            assertEquals(new CloseStatus(CloseCodes.BANNED, "banned for 1h: spamming"), eveElsewhere.awaitClose(WAIT),
                    "the same person's other connection, in another room, is removed too");
            assertEquals(403, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri(server, "/chat/elsewhere?token=eve"), Map.of(), List.of())).status(),
                    "the ban is kept before the banned member is closed");
            TckClient bob = member(server, "/?token=bob");
            bob.send("hi");
            assertEquals("bob: hi", ann.nextMessage(WAIT), "others still join");

            server.room("lobby").ban("bob", Duration.ofMinutes(5), "and his router", true).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertEquals(new CloseStatus(CloseCodes.BANNED, "banned for 5m: and his router"), bob.awaitClose(WAIT));
            assertEquals(403, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri(server, "/?token=carl"), Map.of(), List.of())).status(),
                    "a ban with the address refuses everyone from it");
        }
    }

    @Test
    void anOperatorKicksMutesAndBansWithCommandsAndAnyoneElseIsNotAllowed() throws Exception {
        try (ChatServer server = chat().authenticator(ProgrammableChatTck::byToken).start()) {
            TckClient ann = member(server, "/?token=op-ann");
            TckClient bob = member(server, "/?token=bob", JsonFormat.SUBPROTOCOL);
            TckClient eve = member(server, "/?token=eve");
            assertEquals("welcome", json.readTree(bob.nextMessage(WAIT)).get("type").asText());
            bob.send("{\"type\":\"kick\",\"nick\":\"ann\",\"reason\":\"coup\"}");
            JsonNode notAllowed = json.readTree(bob.nextMessage(WAIT));
            assertEquals("not_allowed", notAllowed.get("code").asText(), notAllowed.toString());
            eve.send("/ban ann 1h");
            assertEquals(" .... only operators may /ban", eve.nextMessage(WAIT));
            ann.send("/mute nobody 10m");
            assertEquals(" .... no one called nobody in lobby", ann.nextMessage(WAIT));
            ann.send("/mute eve 10m");
            assertEquals(" .... eve is muted for 10m: by ann.", ann.nextMessage(WAIT));
            ann.send("/kick eve enough now");
            assertEquals(List.of(" .... eve was removed: enough now.", " .... eve has left."), ann.nextMessages(2, WAIT));
            assertEquals(new CloseStatus(CloseCodes.REMOVED, "removed: enough now"), eve.awaitClose(WAIT));
            ann.send("/mute eve ten");
            assertEquals(" .... usage: /mute NICK DURATION [REASON], DURATION as 90s, 10m, 1h or 2d", ann.nextMessage(WAIT));
            List<String> types = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                types.add(json.readTree(bob.nextMessage(WAIT)).get("type").asText());
            }
            assertEquals(List.of("muted", "removed", "leave"), types, "the room saw each step");
        }
    }
}
