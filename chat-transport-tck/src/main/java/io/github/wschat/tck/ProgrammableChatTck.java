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

/**
 * The application's program over real sockets: identities, join hooks, line filters (synchronous,
 * asynchronous, failing, late), notices, kicks, mutes and bans. The transport carries what the hooks
 * decide like any other line. Moderation is in {@link ModerationTck}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ProgrammableChatTck extends ProgramTckSupport {

    @Test
    void aFilterRewritesAndAnotherRefusesAndTheSenderAloneHearsWhy() throws Exception {
        try (ChatServer server = chat()
                .lineFilter(LineFilter.synchronous((sender, room, line) -> line.text().contains("darn")
                        ? LineVerdict.rewrite(line.text().replace("darn", "d**n")) : LineVerdict.accept()))
                .lineFilter(LineFilter.synchronous((sender, room, line) -> line.text().contains("buy now")
                        ? LineVerdict.refuse("no adverts here") : LineVerdict.accept()))
                .start()) {
            TckClient ann = member(server, "/?nick=ann");
            TckClient bob = member(server, "/?nick=bob", JsonFormat.SUBPROTOCOL);
            assertEquals("welcome", json.readTree(bob.nextMessage(WAIT)).get("type").asText());
            ann.send("darn it");
            ann.send("cheap pills, buy now");
            ann.send("/me says darn");
            ann.send("/nick darn");
            ann.send("bye");
            assertEquals(List.of("ann: d**n it", " .... no adverts here", "* ann says d**n",
                    " .... a nickname is 1-32 of A-Z a-z 0-9 . _ -: d**n", "ann: bye"), ann.nextMessages(5, WAIT));
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode event = json.readTree(bob.nextMessage(WAIT));
                seen.add(event.get("type").asText() + " " + event.get("text").asText());
            }
            assertEquals(List.of("message d**n it", "action says d**n", "message bye"), seen,
                    "the refused line reached no one, the rewritten ones as rewritten");
        }
    }

    @Test
    void oneSendersLinesKeepTheirOrderThroughASlowFilterAndNobodyElseWaitsForIt() throws Exception {
        CountDownLatch othersLineSeen = new CountDownLatch(1);
        // Ann's lines take 200 ms each to check, and none is decided before bob's line was seen (or 10 s
        // passed): if bob's line waited behind ann's, it would come after them.
        LineFilter slowForAnn = (sender, room, line) -> !sender.nick().equals("ann")
                ? CompletableFuture.completedStage(LineVerdict.accept())
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        othersLineSeen.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return LineVerdict.accept();
                }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
        try (ChatServer server = chat().lineFilter(slowForAnn).lineFilterDeadline(Duration.ofSeconds(30), LineVerdict.accept())
                .start()) {
            TckClient ann = member(server, "/?nick=ann");
            TckClient bob = member(server, "/?nick=bob");
            TckClient eve = member(server, "/?nick=eve");
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                ann.send("line " + i);
            }
            bob.send("not waiting");
            assertEquals("bob: not waiting", eve.nextMessage(WAIT), "bob's line came before any of ann's");
            long bobMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            othersLineSeen.countDown();
            for (int i = 0; i < 100; i++) {
                assertEquals("ann: line " + i, eve.nextMessage(WAIT));
            }
            long annMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // Figures, not limits: checked several at once, 100 lines of 200 ms each take about 200 ms.
            org.slf4j.LoggerFactory.getLogger(ProgrammableChatTck.class).info(
                    "slow filter: bob's line seen after {} ms; ann's 100 lines, 200 ms each, after {} ms", bobMillis, annMillis);
        }
    }

    @Test
    void aFilterThatThrowsOrFailsRefusesAndOneThatIsLateGetsTheBuildersVerdict() throws Exception {
        LineFilter broken = (sender, room, line) -> {
            if (line.text().equals("throw")) {
                throw new IllegalStateException("the filter's own bug");
            }
            if (line.text().equals("fail")) {
                return CompletableFuture.failedStage(new IllegalStateException("the moderation service is down"));
            }
            if (line.text().equals("never")) {
                return new CompletableFuture<>();
            }
            return CompletableFuture.completedStage(LineVerdict.accept());
        };
        try (ChatServer server = chat().lineFilter(broken)
                .lineFilterDeadline(Duration.ofMillis(300), LineVerdict.refuse("too slow to check")).start()) {
            TckClient ann = member(server, "/?nick=ann");
            TckClient bob = member(server, "/?nick=bob");
            for (String line : List.of("throw", "fail", "never", "fine")) {
                ann.send(line);
            }
            assertEquals(List.of(" .... that line could not be checked, so it was not sent; try again.",
                    " .... that line could not be checked, so it was not sent; try again.",
                    " .... too slow to check", "ann: fine"), ann.nextMessages(4, WAIT));
            assertEquals("ann: fine", bob.nextMessage(WAIT), "bob saw none of the unchecked lines");
        }
        try (ChatServer server = chat().lineFilter(broken)
                .lineFilterDeadline(Duration.ofMillis(300), LineVerdict.accept()).start()) {
            TckClient ann = member(server, "/?nick=ann");
            ann.send("never");
            ann.send("fine");
            assertEquals(List.of("ann: never", "ann: fine"), ann.nextMessages(2, WAIT), "late lines accepted, in order");
        }
    }

    @Test
    void aStaffRoomRefusesThoseWithoutTheRoleWithTheStatusTheHookChose() throws Exception {
        try (ChatServer server = chat().authenticator(ProgrammableChatTck::byToken)
                .joinHook((identity, room) -> room.equals("staff") && !identity.hasRole("operator")
                        ? JoinVerdict.refuse(403, "staff only") : JoinVerdict.allow())
                .start()) {
            assertEquals(403, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri(server, "/chat/staff?token=bob"), Map.of(), List.of())).status());
            TckClient ann = member(server, "/chat/staff?token=op-ann");
            TckClient bob = member(server, "/chat/lobby?token=bob");
            assertEquals(List.of(new ChatMember("ann", Identity.of("id-ann", "operator"))), server.room("staff").members());
            assertEquals(List.of(new ChatMember("bob", Identity.of("id-bob"))), server.room("lobby").members());
            ann.send("hi staff");
            assertEquals("ann: hi staff", ann.nextMessage(WAIT));
            bob.send("hi lobby");
            assertEquals("bob: hi lobby", bob.nextMessage(WAIT));
        }
    }

    @Test
    void anAsynchronousJoinHookHoldsWhatAMemberSendsUntilItDecidesAndClosesARefusedOneWith4000PlusItsStatus()
            throws Exception {
        java.util.concurrent.ConcurrentMap<String, CompletableFuture<JoinVerdict>> asked = new java.util.concurrent.ConcurrentHashMap<>();
        try (ChatServer server = chat().authenticator(ProgrammableChatTck::byToken)
                .asyncJoinHook((identity, room) -> asked.computeIfAbsent(identity.id(), id -> new CompletableFuture<>()))
                .start()) {
            TckClient ann = connector.connect(uri(server, "/chat/staff?token=op-ann"), Map.of(), List.of());
            TckClient bob = connector.connect(uri(server, "/chat/staff?token=bob"), Map.of(), List.of());
            ann.send("early 1");
            ann.send("early 2");
            await().atMost(WAIT).until(() -> asked.containsKey("id-ann") && asked.containsKey("id-bob"));
            assertEquals(0, server.memberCount(), "no one joined while the hook decides");
            asked.get("id-bob").complete(JoinVerdict.refuse(403, "staff only"));
            CloseStatus closed = bob.awaitClose(WAIT);
            assertEquals(4403, closed.code());
            assertEquals("staff only", closed.reason());
            asked.get("id-ann").complete(JoinVerdict.allow());
            assertEquals(List.of("ann: early 1", "ann: early 2"), ann.nextMessages(2, WAIT),
                    "what she sent while the hook decided, in order, once she joined");
            assertEquals(List.of(new ChatMember("ann", Identity.of("id-ann", "operator"))), server.room("staff").members());
        }
    }

    @Test
    void theApplicationPostsANoticeInTheRoomsOrderAndReadsTheHistory() throws Exception {
        try (ChatServer server = chat().historySize(10).start()) {
            TckClient ann = member(server, "/?nick=ann");
            TckClient rita = member(server, "/?nick=rita", JsonFormat.SUBPROTOCOL);
            assertEquals("welcome", json.readTree(rita.nextMessage(WAIT)).get("type").asText());
            ann.send("before");
            assertEquals("ann: before", ann.nextMessage(WAIT));
            server.room("lobby").post("the quiz starts at 8\nbring a pen").toCompletableFuture().get(30, TimeUnit.SECONDS);
            ann.send("after");
            assertEquals(List.of(" *** the quiz starts at 8", " *** bring a pen", "ann: after"), ann.nextMessages(3, WAIT));
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JsonNode event = json.readTree(rita.nextMessage(WAIT));
                seen.add(event.get("type").asText() + " " + event.get("text").asText());
            }
            assertEquals(List.of("message before", "notice the quiz starts at 8", "notice bring a pen", "message after"), seen);
            List<RoomEvent> history = server.room("lobby").history().stream().map(e -> e.event()).toList();
            assertEquals(List.of(new RoomEvent.Message("ann", "before"), new RoomEvent.Notice("the quiz starts at 8"),
                    new RoomEvent.Notice("bring a pen"), new RoomEvent.Message("ann", "after")), history);
            assertTrue(server.rooms().contains("lobby"));
        }
    }

    @Test
    void aBotJoinsAnswersAndLeavesAndABotThatBlocksDelaysNobody() throws Exception {
        CountDownLatch stuckUntil = new CountDownLatch(1);
        try (ChatServer server = chat().announceJoins(true).start()) {
            TckClient ann = member(server, "/?nick=ann");
            assertEquals(" .... ann has joined.", ann.nextMessage(WAIT));
            List<String> welcome = new java.util.concurrent.CopyOnWriteArrayList<>();
            io.github.wschat.Connection helper = server.room("lobby").bot("helper", JsonFormat.SUBPROTOCOL, bot -> {
                bot.onMessage(frame -> {
                    welcome.add(frame);
                    if (frame.contains("\"text\":\"!time\"")) {
                        bot.send("{\"type\":\"say\",\"text\":\"it is time\"}");
                    }
                });
            });
            assertEquals(" .... helper has joined.", ann.nextMessage(WAIT));
            await().atMost(WAIT).until(() -> !welcome.isEmpty());
            JsonNode first = json.readTree(welcome.get(0));
            assertEquals("welcome", first.get("type").asText());
            assertEquals("helper", first.get("nick").asText());
            ann.send("!time");
            assertEquals(List.of("ann: !time", "helper: it is time"), ann.nextMessages(2, WAIT));
            ann.send("/who");
            assertEquals(" .... in lobby: ann, helper", ann.nextMessage(WAIT));
            helper.send("{\"type\":\"me\",\"text\":\"waves\"}");
            helper.send("{\"type\":\"msg\",\"to\":\"ann\",\"text\":\"psst\"}");
            helper.send("{\"type\":\"nick\",\"name\":\"helper2\"}");
            helper.send("{\"type\":\"nick\",\"name\":\"helper\"}");
            assertEquals(List.of("* helper waves", "[private] helper -> ann: psst", " .... helper is now known as helper2.",
                    " .... helper2 is now known as helper."), ann.nextMessages(4, WAIT), "a bot acts, whispers and renames");
            assertThrows(IllegalStateException.class, () -> server.room("lobby").bot("ann", "", bot -> { }),
                    "a bot's nickname is unique like anyone's");

            try {
                server.room("lobby").bot("stuck", "", bot -> bot.onMessage(frame -> {
                    try {
                        stuckUntil.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                assertEquals(" .... stuck has joined.", ann.nextMessage(WAIT));
                for (int i = 0; i < 200; i++) {
                    ann.send("line " + i);
                    assertEquals("ann: line " + i, ann.nextMessage(WAIT), "nobody waits for the stuck bot");
                }
            } finally {
                stuckUntil.countDown();
            }
            helper.close(CloseCodes.NORMAL, "");
            assertEquals(" .... helper has left.", ann.nextMessage(WAIT));
        }
    }

    @Test
    void theListenerHearsEveryPlacedEventOnceInTheRoomsOrderAndNoRefusedLine() throws Exception {
        List<io.github.wschat.app.PlacedEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ChatServer server = chat().announceJoins(true).listener(heard::add)
                .lineFilter(LineFilter.synchronous((sender, room, line) -> line.text().equals("secret")
                        ? LineVerdict.refuse("no secrets") : LineVerdict.accept()))
                .start()) {
            TckClient rita = member(server, "/?nick=rita", JsonFormat.SUBPROTOCOL);
            List<JsonNode> seen = new ArrayList<>();
            assertEquals("welcome", json.readTree(rita.nextMessage(WAIT)).get("type").asText());
            seen.add(json.readTree(rita.nextMessage(WAIT))); // her own join
            TckClient ann = member(server, "/?nick=ann");
            seen.add(json.readTree(rita.nextMessage(WAIT)));
            ann.send("hello");
            ann.send("secret");
            ann.send("/msg rita psst");
            seen.add(json.readTree(rita.nextMessage(WAIT)));
            seen.add(json.readTree(rita.nextMessage(WAIT)));
            server.room("lobby").post("a notice").toCompletableFuture().get(30, TimeUnit.SECONDS);
            seen.add(json.readTree(rita.nextMessage(WAIT)));
            ann.close(CloseCodes.NORMAL, "");
            seen.add(json.readTree(rita.nextMessage(WAIT)));
            await().atMost(WAIT).until(() -> heard.size() >= 6);
            assertEquals(6, heard.size(), "each event once: " + heard);
            for (int i = 0; i < 6; i++) {
                assertEquals(seen.get(i).get("seq").asLong(), heard.get(i).sequence());
                assertEquals(seen.get(i).get("epoch").asText(), heard.get(i).epoch());
                assertEquals(seen.get(i).get("time").asLong(), heard.get(i).time());
                assertEquals("lobby", heard.get(i).room());
            }
            assertEquals(List.of(new RoomEvent.Joined("rita"), new RoomEvent.Joined("ann"), new RoomEvent.Message("ann", "hello"),
                    new RoomEvent.Private("ann", "rita", "psst"), new RoomEvent.Notice("a notice"), new RoomEvent.Left("ann")),
                    heard.stream().map(io.github.wschat.app.PlacedEvent::event).toList());
        }
    }
}
