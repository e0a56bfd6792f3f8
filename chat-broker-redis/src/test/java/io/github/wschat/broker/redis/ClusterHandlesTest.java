package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.CloseCodes;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.CloseStatus;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.TckClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's handles across three nodes on one real Redis: a notice, a kick, a mute and a ban
 * issued on node 1 for a member that node 3 holds, each in the room's one order on every node; a bot
 * on node 2 that answers a line said on node 1.
 */
class ClusterHandlesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ChatNodes cluster;
    private List<ChatServer> nodes;

    @BeforeEach
    void startCluster() throws Exception {
        // ?token=NAME is user id-NAME, nickname NAME unless ?nick= asks for another (a second connection).
        cluster = ChatNodes.start(3, Duration.ofSeconds(2), builder -> builder.historySize(0)
                .authenticator(handshake -> handshake.queryParameter("token")
                        .map(name -> handshake.queryParameter("nick").isPresent()
                                ? Authentication.accept(Identity.of("id-" + name))
                                : Authentication.acceptAs(name, Identity.of("id-" + name)))
                        .orElse(Authentication.refuse(401, "a token is required"))));
        nodes = cluster.nodes;
    }

    @AfterEach
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private TckClient connect(int node, String target) throws Exception {
        return cluster.connect(node, target);
    }

    @Test
    void aNoticeKickMuteAndBanFromNodeOneReachTheMemberOnNodeThreeInTheRoomsOrder() throws Exception {
        TckClient ann = connect(0, "/chat/mod?token=ann");
        TckClient bob = connect(1, "/chat/mod?token=bob");
        TckClient eve = connect(2, "/chat/mod?token=eve");
        await().atMost(WAIT).until(() -> nodes.stream().allMatch(n -> n.memberCount() == 1));
        connect(2, "/chat/elsewhere?token=dan");
        await().atMost(WAIT).until(() -> nodes.get(0).rooms().contains("elsewhere"));
        assertEquals(java.util.Set.of("mod", "elsewhere"), nodes.get(0).rooms(), "every node's rooms, from node 1");
        nodes.get(0).room("elsewhere").kick("dan", "tidy up").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(java.util.Set.of(new ChatMember("ann", Identity.of("id-ann")), new ChatMember("bob", Identity.of("id-bob")),
                new ChatMember("eve", Identity.of("id-eve"))), java.util.Set.copyOf(nodes.get(0).room("mod").members()),
                "every node's members with their identities, from node 1");

        nodes.get(0).room("mod").post("welcome, all").toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (TckClient member : List.of(ann, bob, eve)) {
            assertEquals(" *** welcome, all", member.nextMessage(WAIT));
        }

        nodes.get(0).room("mod").mute("eve", Duration.ofMinutes(10), "shouting").toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (TckClient member : List.of(ann, bob, eve)) {
            assertEquals(" .... eve is muted for 10m: shouting.", member.nextMessage(WAIT));
        }
        eve.send("LOUD");
        assertTrue(eve.nextMessage(WAIT).startsWith(" .... you are muted for "), "muted on node 3 by node 1");
        bob.send("calm");
        assertEquals("bob: calm", ann.nextMessage(WAIT), "eve's line reached no one");
        assertEquals("bob: calm", bob.nextMessage(WAIT));
        assertEquals("bob: calm", eve.nextMessage(WAIT), "eve still reads");

        TckClient eveElsewhere = connect(1, "/chat/other?token=eve&nick=eve2");
        await().atMost(WAIT).until(() -> nodes.get(0).rooms().contains("other"));
        nodes.get(0).room("mod").ban("eve", Duration.ofHours(1), "spamming").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(new CloseStatus(CloseCodes.BANNED, "banned for 1h: spamming"), eve.awaitClose(WAIT));
        assertEquals(new CloseStatus(CloseCodes.BANNED, "banned for 1h: spamming"), eveElsewhere.awaitClose(WAIT),
                "her other connection, in another room on node 2, is removed too");
        for (TckClient member : List.of(ann, bob)) {
            assertEquals(" .... eve was banned for 1h: spamming.", member.nextMessage(WAIT));
            assertEquals(" .... eve has left.", member.nextMessage(WAIT));
        }
        for (int node = 0; node < 3; node++) {
            int n = node;
            assertEquals(403, assertThrows(HandshakeRefusedException.class,
                    () -> connect(n, "/chat/other?token=eve")).status(), "refused on node " + (n + 1));
        }

        TckClient carl = connect(2, "/chat/mod?token=carl");
        await().atMost(WAIT).until(() -> nodes.get(2).memberCount() == 1); // carl (dan was kicked)
        nodes.get(0).room("mod").kick("carl", "wrong room").toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(new CloseStatus(CloseCodes.REMOVED, "removed: wrong room"), carl.awaitClose(WAIT));
        for (TckClient member : List.of(ann, bob)) {
            assertEquals(List.of(" .... carl was removed: wrong room.", " .... carl has left."), member.nextMessages(2, WAIT));
        }
        TckClient carlAgain = connect(2, "/chat/mod?token=carl");
        carlAgain.send("back");
        assertEquals("carl: back", bob.nextMessage(WAIT), "a kick is not a ban");
    }

    @Test
    void aBotOnNodeTwoAnswersALineSaidOnNodeOneAndHoldsItsNameEverywhere() throws Exception {
        TckClient ann = connect(0, "/chat/bots?token=ann");
        TckClient eve = connect(2, "/chat/bots?token=eve");
        await().atMost(WAIT).until(() -> nodes.get(0).memberCount() == 1 && nodes.get(2).memberCount() == 1);
        nodes.get(1).room("bots").bot("echo", "", bot -> bot.onMessage(line -> {
            if (line.startsWith("ann: ")) {
                bot.send("ann said " + line.substring(5));
            }
        }));
        await().atMost(WAIT).until(() -> nodes.get(0).room("bots").everyone().contains("echo"));
        assertEquals(409, assertThrows(HandshakeRefusedException.class,
                () -> connect(0, "/chat/bots?token=echo")).status(), "the bot's name is held on every node");
        ann.send("hello");
        assertEquals(List.of("ann: hello", "echo: ann said hello"), ann.nextMessages(2, WAIT));
        assertEquals(List.of("ann: hello", "echo: ann said hello"), eve.nextMessages(2, WAIT));
    }
}
