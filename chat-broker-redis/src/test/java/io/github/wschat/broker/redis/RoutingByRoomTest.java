package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A real HAProxy hashing the room's path in front of three nodes: a room's members land on one node;
 * that node killed, HAProxy sends them elsewhere and their resume ({@code ?since=}, as the page sends
 * it) gets exactly what they missed, with no gap and no duplicate.
 */
class RoutingByRoomTest {

    private static final Duration WAIT = MidStream.WAIT;
    private final JdkWebSocketConnector clients = new JdkWebSocketConnector();

    private TckClient viaHaproxy(Haproxy haproxy, String target) throws HandshakeRefusedException {
        return clients.connect(URI.create("ws://127.0.0.1:" + haproxy.port + target), Map.of(), MidStream.JSON);
    }

    private static JsonNode next(TckClient client, String type) {
        return MidStream.read(client.nextMessageMatching(m -> m.contains("\"type\":\"" + type + "\""), WAIT));
    }

    /** The node whose member count grew by {@code by} since {@code before}, the others unchanged. */
    private static int nodeThatGot(List<ChatServer> nodes, int[] before, int by) {
        int found = -1;
        for (int i = 0; i < nodes.size(); i++) {
            int grew = nodes.get(i).memberCount() - before[i];
            if (grew == by) {
                found = i;
            } else {
                assertEquals(0, grew, "node " + i + " got some of the room's members");
            }
        }
        return found;
    }

    private static int[] counts(List<ChatServer> nodes) {
        return nodes.stream().mapToInt(ChatServer::memberCount).toArray();
    }

    @Test
    void aRoomsMembersLandOnOneNodeAndAfterItDiesResumeElsewhereWithNoGapAndNoDuplicate() throws Exception {
        try (ChatNodes cluster = ChatNodes.start(3, Duration.ofSeconds(2), chat -> chat);
                Haproxy haproxy = Haproxy.start(cluster.nodes.stream().map(n -> n.address().getPort()).toList())) {
            // Every room's members on one node, whichever.
            for (String room : List.of("alpha", "beta", "gamma", "delta", "epsilon")) {
                int[] before = counts(cluster.nodes);
                List<TckClient> members = new ArrayList<>();
                for (int m = 0; m < 4; m++) {
                    members.add(viaHaproxy(haproxy, "/chat/" + room + "?nick=" + room + m));
                    next(members.get(m), "welcome");
                }
                await().atMost(WAIT).until(() -> nodes(cluster.nodes) - sum(before) == 4);
                assertNotEquals(-1, nodeThatGot(cluster.nodes, before, 4), room + ": all four on one node");
            }

            // Readers through HAProxy; a talker on another node, directly.
            int[] before = counts(cluster.nodes);
            List<TckClient> readers = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                readers.add(viaHaproxy(haproxy, "/chat/resume?nick=reader" + m));
                next(readers.get(m), "welcome");
            }
            await().atMost(WAIT).until(() -> nodes(cluster.nodes) - sum(before) == 3);
            int home = nodeThatGot(cluster.nodes, before, 3);
            int other = (home + 1) % 3;
            TckClient talker = cluster.connect(other, "/chat/resume?nick=talker", MidStream.JSON);
            next(talker, "welcome");
            String seen = null;
            for (int k = 1; k <= 5; k++) {
                talker.send("{\"type\":\"say\",\"text\":\"line " + k + "\"}");
            }
            for (int k = 1; k <= 5; k++) {
                assertEquals("line " + k, next(talker, "message").get("text").asText());
            }
            for (TckClient reader : readers) {
                for (int k = 1; k <= 5; k++) {
                    JsonNode line = next(reader, "message");
                    assertEquals("line " + k, line.get("text").asText());
                    seen = line.get("epoch").asText() + ":" + line.get("seq").asLong();
                }
            }

            cluster.brokers.get(home).crash(); // as SIGKILL leaves it
            cluster.nodes.get(home).close();
            for (int k = 6; k <= 10; k++) {
                talker.send("{\"type\":\"say\",\"text\":\"line " + k + "\"}");
            }
            for (int k = 6; k <= 10; k++) {
                assertEquals("line " + k, next(talker, "message").get("text").asText(), "the talker's node goes on");
            }

            // The page reconnects with the position of the last line it showed.
            int[] after = counts(cluster.nodes);
            List<TckClient> back = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                String target = "/chat/resume?nick=again" + m + "&since=" + seen;
                AtomicReference<TckClient> joined = new AtomicReference<>();
                // Until HAProxy's check finds the node down, a handshake may still be sent its way.
                await().atMost(WAIT).ignoreExceptions().until(() -> {
                    joined.set(viaHaproxy(haproxy, target));
                    return true;
                });
                JsonNode welcome = next(joined.get(), "welcome");
                assertFalse(welcome.get("missed").asBoolean(), welcome.toString());
                List<String> missed = new ArrayList<>();
                welcome.get("history").forEach(event -> {
                    if (event.get("type").asText().equals("message")) {
                        missed.add(event.get("text").asText());
                    }
                });
                assertEquals(List.of("line 6", "line 7", "line 8", "line 9", "line 10"), missed,
                        "exactly what it missed, once each, in order");
                back.add(joined.get());
            }
            await().atMost(WAIT).until(() -> nodes(cluster.nodes) - sum(after) == 3);
            assertNotEquals(home, nodeThatGot(cluster.nodes, after, 3), "all three on one other node");
            talker.send("{\"type\":\"say\",\"text\":\"line 11\"}");
            for (TckClient reader : back) {
                assertEquals("line 11", next(reader, "message").get("text").asText(), "live again, nothing in between");
            }
        } finally {
            clients.close();
        }
    }

    private static int nodes(List<ChatServer> nodes) {
        return nodes.stream().mapToInt(ChatServer::memberCount).sum();
    }

    private static int sum(int[] counts) {
        return java.util.Arrays.stream(counts).sum();
    }
}
