package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.TckClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One person on devices connected to different nodes of one real Redis is one member: one join, every
 * node lists it once with its devices on all nodes; a node that dies takes its devices with it and no
 * leave is announced while another node holds one; the last device's close announces one leave.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterDevicesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(2);
    private ChatNodes cluster;

    @BeforeEach
    void start() throws Exception {
        RedisServer.requireInstalled();
        cluster = ChatNodes.start(3, LEASE, builder -> builder.announceJoins(true).historySize(0)
                .authenticator(handshake -> handshake.queryParameter("token")
                        .map(token -> Authentication.acceptAs(token, Identity.of("id-" + token)))
                        .orElse(Authentication.refuse(401, "a token is required"))));
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Optional<ChatMember> member(int node, String nick) {
        return cluster.nodes.get(node).room("home").members().stream().filter(m -> m.nick().equals(nick)).findFirst();
    }

    @Test
    void aPersonOnTwoNodesIsOneMemberAndLeavesOnlyWithItsLastDeviceWhateverDies() throws Exception {
        TckClient bob = cluster.connect(1, "/chat/home?token=bob");
        assertEquals(" .... bob has joined.", bob.nextMessage(WAIT));
        TckClient laptop = cluster.connect(0, "/chat/home?token=alice");
        TckClient phone = cluster.connect(2, "/chat/home?token=alice");
        aliceOnTwoNodes(bob);
        for (int node = 0; node < 3; node++) {
            assertEquals(List.of("alice", "bob"), cluster.nodes.get(node).room("home").members().stream()
                    .map(ChatMember::nick).sorted().toList(), "node " + node + " lists alice once");
        }
        phone.send("from the phone");
        assertEquals("alice: from the phone", bob.nextMessage(WAIT), "no second join came before the line");
        assertEquals(List.of(" .... alice has joined.", "alice: from the phone"), laptop.nextMessages(2, WAIT),
                "her other device, on another node, has it, after her one join");

        ServerCrash.of(cluster, 2); // the phone's node dies as SIGKILL leaves it
        await().atMost(WAIT).until(() -> member(1, "alice").map(ChatMember::devices).orElse(0) == 1);
        bob.send("still there?");
        assertEquals("bob: still there?", bob.nextMessage(WAIT), "the dead node's device left no leave behind");
        laptop.send("yes");
        assertEquals("alice: yes", bob.nextMessage(WAIT));

        laptop.close(1000, "closing the laptop");
        assertEquals(" .... alice has left.", bob.nextMessage(WAIT));
        await().atMost(WAIT).until(() -> member(1, "alice").isEmpty());
        bob.send("gone");
        assertEquals("bob: gone", bob.nextMessage(WAIT), "one leave");
        assertTrue(cluster.nodes.get(0).room("home").everyone().stream().noneMatch("alice"::equals));
    }

    /** Bob sees one join of alice, and every node counts her two devices. */
    private void aliceOnTwoNodes(TckClient bob) {
        assertEquals(" .... alice has joined.", bob.nextMessage(WAIT));
        await().atMost(WAIT).until(() -> member(1, "alice").map(ChatMember::devices).orElse(0) == 2);
    }

    /** Ends a node as SIGKILL would: no renewals, no goodbye to Redis, its clients cut. */
    private static final class ServerCrash {
        static void of(ChatNodes cluster, int node) {
            cluster.brokers.get(node).crash();
            cluster.nodes.get(node).close();
        }
    }

    @Test
    void theLastDevicesCloseOnTwoNodesAtOnceAnnounceOneLeave() throws Exception {
        TckClient bob = cluster.connect(1, "/chat/home?token=bob");
        assertEquals(" .... bob has joined.", bob.nextMessage(WAIT));
        TckClient one = cluster.connect(0, "/chat/home?token=alice");
        TckClient two = cluster.connect(2, "/chat/home?token=alice");
        aliceOnTwoNodes(bob);
        one.close(1000, "");
        two.close(1000, "");
        assertEquals(" .... alice has left.", bob.nextMessage(WAIT));
        await().atMost(WAIT).until(() -> member(1, "alice").isEmpty());
        TckClient back = cluster.connect(2, "/chat/home?token=alice");
        assertEquals(" .... alice has joined.", bob.nextMessage(WAIT), "one leave, then her new join");
        back.send("back");
        assertEquals("alice: back", bob.nextMessage(WAIT));
    }

    /**
     * Bob's line, sent until the room takes it again (after Redis came back), with every line he read
     * before it; none of them may be a join or a leave of alice.
     */
    private static void pingThrough(TckClient bob, String text) {
        int[] attempt = {0};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            String ping = text + " " + attempt[0]++;
            bob.send(ping);
            while (true) {
                String line = bob.nextMessage(WAIT);
                assertTrue(!line.contains("alice has"), "no join or leave of alice: " + line);
                if (line.equals("bob: " + ping)) {
                    return true;
                }
                if (line.contains("not sent") || line.contains("unavailable")) {
                    return false; // refused while the room is checked: send again
                }
            }
        });
    }

    @Test
    void redisRestartedEmptyGetsTheDevicesBackFromTheNodesAndTheLeaveStillComesWithTheLast() throws Exception {
        TckClient bob = cluster.connect(1, "/chat/home?token=bob");
        assertEquals(" .... bob has joined.", bob.nextMessage(WAIT));
        TckClient laptop = cluster.connect(0, "/chat/home?token=alice");
        TckClient phone = cluster.connect(2, "/chat/home?token=alice");
        aliceOnTwoNodes(bob);
        cluster.redis.kill();
        cluster.redis.restart(); // empty: no persistence
        pingThrough(bob, "back?");
        await().atMost(WAIT).until(() -> member(1, "alice").map(ChatMember::devices).orElse(0) == 2);
        laptop.close(1000, "closing the laptop");
        await().atMost(WAIT).until(() -> member(1, "alice").map(ChatMember::devices).orElse(0) == 1);
        pingThrough(bob, "still one?");
        phone.close(1000, "phone off");
        String line;
        do {
            line = bob.nextMessage(WAIT);
        } while (!line.startsWith(" .... "));
        assertEquals(" .... alice has left.", line, "one leave, with her last device");
        pingThrough(bob, "gone");
    }
}
