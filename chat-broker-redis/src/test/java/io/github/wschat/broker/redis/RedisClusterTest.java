package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.tck.TckClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker on a real Redis Cluster of three masters and three replicas: rooms on every shard keep one
 * order across three nodes, and a master SIGKILLed mid-stream is failed over to its replica with every
 * line reaching every member or none, while the rooms of the other masters take every line.
 */
class RedisClusterTest {

    private static final Logger log = LoggerFactory.getLogger(RedisClusterTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisClusterServers redis;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisClusterServers.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** Rooms whose keys live on three different masters. */
    private static List<String> roomsOnEveryShard() {
        List<String> rooms = new ArrayList<>();
        Set<Integer> masters = new HashSet<>();
        for (int r = 0; rooms.size() < 3 && r < 1000; r++) {
            if (masters.add(redis.masterOf("wschat:{room" + r + "}:events"))) {
                rooms.add("room" + r);
            }
        }
        assertEquals(3, rooms.size());
        return rooms;
    }

    @Test
    void roomsOnEveryShardKeepOneOrderAcrossTheNodes() throws Exception {
        try (ChatNodes nodes = ChatNodes.on(redis.uri(), 3, Duration.ofSeconds(2), chat -> chat)) {
            List<String> rooms = roomsOnEveryShard();
            List<List<TckClient>> members = new ArrayList<>();
            for (String room : rooms) {
                List<TckClient> inRoom = new ArrayList<>();
                for (int c = 0; c < 6; c++) {
                    inRoom.add(nodes.connect(c % 3, "/chat/" + room + "?nick=" + room + "m" + c));
                }
                members.add(inRoom);
            }
            await().atMost(WAIT).until(() -> nodes.nodes.stream().mapToInt(n -> n.memberCount()).sum() == 18);
            for (int k = 0; k < 50; k++) {
                for (List<TckClient> inRoom : members) {
                    inRoom.get(k % 6).send("line " + k);
                }
            }
            for (int r = 0; r < 3; r++) {
                List<String> first = null;
                for (TckClient member : members.get(r)) {
                    List<String> got = new ArrayList<>();
                    while (got.size() < 50) {
                        String line = member.nextMessage(WAIT);
                        if (line.contains(": line ")) {
                            got.add(line);
                        }
                    }
                    if (first == null) {
                        first = got;
                    }
                    assertEquals(first, got, "one order in " + rooms.get(r) + " on every node");
                }
            }
            try (var client = io.lettuce.core.cluster.RedisClusterClient.create(redis.uri().split(",")[0]);
                    var connection = client.connect()) {
                for (String room : rooms) {
                    assertEquals(50, connection.sync().xlen("wschat:{" + room + "}:events") - 1,
                            room + "'s stream holds its lines and its epoch's marker");
                }
            }
        }
    }

    @Test
    void aMasterKilledMidStreamIsFailedOverAndEveryLineReachesEveryMemberOrNone() throws Exception {
        try (ChatNodes nodes = ChatNodes.on(redis.uri(), 3, Duration.ofSeconds(2), chat -> chat)) {
            MidStream room = new MidStream(nodes, "failover", 30);
            int master = redis.masterOf("wschat:{failover}:events");
            String elsewhere = null;
            for (int r = 0; elsewhere == null; r++) {
                if (redis.masterOf("wschat:{elsewhere" + r + "}:events") != master) {
                    elsewhere = "elsewhere" + r;
                }
            }
            MidStream other = new MidStream(nodes, elsewhere, 9, "e");
            room.sendFor(1_500);
            long killed = System.nanoTime();
            redis.kill(master);
            int from = room.sent();
            int otherFrom = other.sent();
            // Both rooms, in turns, while the killed master's replica takes over.
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                room.sendFor(30);
                other.sendFor(30);
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> redis.masterOf("wschat:{failover}:events") != master);
            room.sendFor(1_500);
            room.finish();
            other.finish();
            long after = room.assertAllOrNone(from, "a master SIGKILLed");
            other.assertAllOrNone(otherFrom, "a room on another master meanwhile");
            log.info("The room's master on port {} killed; its replica took over; the room took lines again {} ms after "
                    + "the kill; {} lines sent after it delivered; a room on another master: {} lines sent meanwhile, {} "
                    + "refused", master, room.degradedMillis(killed), after, other.sent() - otherFrom, other.refused.size());
            assertNotEquals(master, redis.masterOf("wschat:{failover}:events"));
            assertTrue(room.refused.size() < room.sent(), "the room did not refuse everything");
            assertEquals(Set.of(), other.refused, "a room on another master took every line while this one failed over");
        }
    }
}
