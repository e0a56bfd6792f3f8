package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a real Redis Cluster, the shard of one room restarted empty (its replica dead too) while one node
 * had read further than another: the nodes hand over what they read of that shard's rooms, so that an
 * event reaches every node or none, as on one Redis ({@link HandoverTest}). And a failover forced
 * while the old master lived, onto a replica without the last events, found from the topology alone.
 */
class ClusterShardHandoverTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(2);

    private static RedisClusterServers redis;
    private final List<RedisBroker> brokers = new ArrayList<>();

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

    @AfterEach
    void stopBrokers() {
        brokers.forEach(RedisBroker::close);
    }

    private RedisBroker broker() {
        RedisBroker broker = RedisBroker.builder(redis.uri()).lease(LEASE).build();
        brokers.add(broker);
        return broker;
    }

    /** What a node delivered: epoch, sequence and text, as a client would see them. */
    private record Seen(String epoch, long sequence, String text) {
    }

    private static String text(RoomEvent event) {
        return ((RoomEvent.Message) event).text();
    }

    @Test
    void eventsOneNodeReadBeforeItsShardRestartedEmptyReachTheNodeThatHadNotInTheOldEpoch() throws Exception {
        // A room whose shard holds neither Redis' marker nor the nodes' leases: only its own shard is lost.
        Set<Integer> elsewhere = Set.of(redis.masterOf("wschat:epoch"), redis.masterOf("wschat:nodes"));
        String room = null;
        for (int r = 0; room == null; r++) {
            if (!elsewhere.contains(redis.masterOf("wschat:{shard" + r + "}:events"))) {
                room = "shard" + r;
            }
        }
        String r = room;
        int master = redis.masterOf("wschat:{" + r + "}:events");
        RedisBroker ahead = broker();
        RedisBroker behind = broker();
        RedisBroker idle = broker(); // reads no room, and still hands over
        await().atMost(WAIT).until(() -> brokers.stream()
                .allMatch(b -> ((RedisRoster) b.roster().orElseThrow()).liveNodes().size() == brokers.size()));
        List<Seen> aheadSaw = Collections.synchronizedList(new ArrayList<>());
        List<Seen> behindSaw = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ahead.subscribe(r, 0, (sequence, time, event) -> aheadSaw.add(new Seen(ahead.epoch(r), sequence, text(event))));
        behind.subscribe(r, 0, (sequence, time, event) -> {
            if (text(event).equals("hold")) {
                // The shard's reader thread delivers: while it waits here, this node reads nothing more of it.
                holding.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            behindSaw.add(new Seen(behind.epoch(r), sequence, text(event)));
        });
        String before = ahead.epoch(r);
        ahead.publish(r, new RoomEvent.Message("a", "one")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        ahead.publish(r, new RoomEvent.Message("a", "hold")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the node behind holds at 'hold'");
        CompletableFuture<Void> own = behind.publish(r, new RoomEvent.Message("a", "three")).toCompletableFuture();
        await().atMost(WAIT).until(() -> aheadSaw.size() == 3);
        for (String text : List.of("four", "five")) {
            ahead.publish(r, new RoomEvent.Message("a", text)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        await().atMost(WAIT).until(() -> aheadSaw.size() == 5);
        assertFalse(own.isDone(), "not confirmed before its node read it back");
        redis.kill(redis.replicaOf(master)); // no replica to take over: the master comes back empty
        redis.kill(master);
        release.countDown(); // the node behind reads on: its shard is gone, with three events it never read
        ExecutionException unconfirmed = assertThrows(ExecutionException.class, () -> own.get(10, TimeUnit.SECONDS));
        assertTrue(((BrokerUnavailableException) unconfirmed.getCause()).isUncertain(),
                "Redis took it, and was lost before its node read it back: the others got it or none did");
        redis.restart(master);
        publishOnceChecked(behind, r, "after");
        await().atMost(WAIT).until(() -> aheadSaw.size() == 6 && behindSaw.size() == 6);
        List<Seen> old = List.of(new Seen(before, 1, "one"), new Seen(before, 2, "hold"), new Seen(before, 3, "three"),
                new Seen(before, 4, "four"), new Seen(before, 5, "five"));
        assertEquals(old, aheadSaw.subList(0, 5));
        assertEquals(aheadSaw, behindSaw, "the node behind got the lost events, in the old epoch, before the new");
        assertNotEquals(before, aheadSaw.get(5).epoch(), "the shard lost the room's data: a new epoch");
        assertEquals("after", aheadSaw.get(5).text());
        Set<String> nodes = new HashSet<>();
        for (RedisBroker b : List.of(ahead, behind, idle)) {
            nodes.add(((RedisRoster) b.roster().orElseThrow()).nodeId());
        }
        assertEquals(nodes, reportedOfShardHandover(), "every node handed over the shard, the idle one too");
    }

    @Test
    void aFailoverForcedWhileTheOldMasterLivesOntoAReplicaWithoutTheLastEventsGivesTheRoomANewEpoch() throws Exception {
        // A room whose master has a live replica (the other test may have killed one shard's).
        String room = null;
        int master = 0;
        int replica = 0;
        for (int r = 0; room == null; r++) {
            master = redis.masterOf("wschat:{forced" + r + "}:events");
            try {
                replica = redis.replicaOf(master);
                room = "forced" + r;
            } catch (IllegalStateException noReplica) {
                // another room
            }
        }
        String r = room;
        try (RedisNode node = new RedisNode(replica)) {
            node.connection.sync().save(); // its data before the room's events
        }
        RedisBroker a = broker();
        RedisBroker b = broker();
        List<Seen> aSaw = Collections.synchronizedList(new ArrayList<>());
        List<Seen> bSaw = Collections.synchronizedList(new ArrayList<>());
        a.subscribe(r, 0, (sequence, time, event) -> aSaw.add(new Seen(a.epoch(r), sequence, text(event))));
        b.subscribe(r, 0, (sequence, time, event) -> bSaw.add(new Seen(b.epoch(r), sequence, text(event))));
        for (String text : List.of("one", "two", "three", "four", "five")) {
            a.publish(r, new RoomEvent.Message("a", text)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        await().atMost(WAIT).until(() -> aSaw.size() == 5 && bSaw.size() == 5);
        String before = a.epoch(r);
        // The replica as one that had not received the room's events: its data as of the snapshot taken
        // before them. Then it takes over by force, the old master alive (no connection drops).
        try (RedisNode node = new RedisNode(replica)) {
            node.connection.sync().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("RELOAD").add("NOSAVE"));
            node.connection.sync().readOnly(); // a replica answers reads of its slots on this connection
            assertEquals(0, node.connection.sync().exists("wschat:{" + r + "}:events"), "the replica lacks the events");
            assertEquals("OK", node.connection.sync().clusterFailover(true, true));
        }
        int promoted = replica;
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
                .until(() -> redis.masterOf("wschat:{" + r + "}:events") == promoted);
        // The nodes find it when they read the topology again: the room takes a new epoch.
        await().atMost(WAIT).until(() -> !before.equals(a.epoch(r)) && !before.equals(b.epoch(r)));
        publishOnceChecked(b, r, "after");
        await().atMost(WAIT).until(() -> aSaw.size() == 6 && bSaw.size() == 6);
        assertEquals(aSaw, bSaw);
        assertEquals("after", aSaw.get(5).text(), "a line after the forced failover reaches the members");
        assertNotEquals(before, aSaw.get(5).epoch(), "in a new epoch: the new master lacked events the nodes had read");
    }

    /** Publishes once the room is checked again: refusals as not sent are retried, an unconfirmed line fails the test. */
    private static void publishOnceChecked(RedisBroker broker, String room, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                broker.publish(room, new RoomEvent.Message("b", text)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                BrokerUnavailableException refused = (BrokerUnavailableException) e.getCause();
                assertFalse(refused.isUncertain(), "refused while checked, never left uncertain: " + refused);
                assertTrue(System.nanoTime() < deadline, "the room takes lines again within " + WAIT);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** The nodes that reported to the handover of a shard (named by its master's node id and run id). */
    private static Set<String> reportedOfShardHandover() {
        Set<String> reported = new HashSet<>();
        for (int port : redis.masters()) {
            try (RedisNode node = new RedisNode(port)) {
                for (String key : node.connection.sync().keys("wschat:handover:*/*:reported")) {
                    reported.addAll(node.connection.sync().smembers(key));
                }
            }
        }
        return reported;
    }
}
