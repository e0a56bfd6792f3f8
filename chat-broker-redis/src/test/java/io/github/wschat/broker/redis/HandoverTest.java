package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis killed while one node had read further than another, then restarted empty: the nodes hand
 * over the lost epoch, so that an event reaches every node or none.
 */
class HandoverTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(2);

    private RedisServer redis;
    private final List<RedisBroker> brokers = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        brokers.forEach(RedisBroker::close);
        if (redis != null) {
            redis.close();
        }
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

    private static void knowEachOther(List<RedisBroker> all) {
        await().atMost(WAIT).until(() -> all.stream()
                .allMatch(b -> ((RedisRoster) b.roster().orElseThrow()).liveNodes().size() == all.size()));
    }

    private static void back(List<RedisBroker> all, List<AtomicBoolean> available) {
        await().atMost(WAIT).until(() -> all.stream().allMatch(RedisBroker::isConnected)
                && available.stream().allMatch(AtomicBoolean::get));
    }

    @Test
    void eventsOneNodeReadBeforeRedisDiedReachTheNodeThatHadNotInTheOldEpochBeforeAnyNewEvent() throws Exception {
        RedisBroker ahead = broker();
        RedisBroker behind = broker();
        RedisBroker idle = broker(); // reads no room, and still hands over
        knowEachOther(brokers);
        List<AtomicBoolean> available = List.of(new AtomicBoolean(true), new AtomicBoolean(true));
        ahead.onAvailability(available.get(0)::set);
        behind.onAvailability(available.get(1)::set);
        List<Seen> aheadSaw = Collections.synchronizedList(new ArrayList<>());
        List<Seen> behindSaw = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ahead.subscribe("r", 0, (sequence, time, event) -> aheadSaw.add(new Seen(ahead.epoch("r"), sequence, text(event))));
        behind.subscribe("r", 0, (sequence, time, event) -> {
            if (text(event).equals("hold")) {
                // The reader thread delivers: while it waits here, this node reads nothing more.
                holding.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            behindSaw.add(new Seen(behind.epoch("r"), sequence, text(event)));
        });
        String before = ahead.epoch("r");
        String lost = ahead.storeEpoch();
        ahead.publish("r", new RoomEvent.Message("a", "one")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        ahead.publish("r", new RoomEvent.Message("a", "hold")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the node behind holds at 'hold'");
        // Its own line: Redis takes it, the other node reads it, but it cannot read it back yet.
        CompletableFuture<Void> own = behind.publish("r", new RoomEvent.Message("a", "three")).toCompletableFuture();
        await().atMost(WAIT).until(() -> aheadSaw.size() == 3);
        for (String text : List.of("four", "five")) {
            ahead.publish("r", new RoomEvent.Message("a", text)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        await().atMost(WAIT).until(() -> aheadSaw.size() == 5);
        assertFalse(own.isDone(), "not confirmed before its node read it back");
        redis.kill();
        release.countDown(); // the node behind reads on: Redis is gone, with three events it never read
        await().atMost(WAIT).until(() -> !available.get(1).get());
        ExecutionException unconfirmed = assertThrows(ExecutionException.class, () -> own.get(10, TimeUnit.SECONDS));
        assertTrue(((BrokerUnavailableException) unconfirmed.getCause()).isUncertain(),
                "Redis took it, and was lost before its node read it back: the others got it or none did");
        redis.restart(); // empty
        back(brokers, available);
        behind.publish("r", new RoomEvent.Message("b", "after")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> aheadSaw.size() == 6 && behindSaw.size() == 6);
        String after = ahead.epoch("r");
        assertNotEquals(before, after, "Redis restarted empty: a new epoch");
        List<Seen> expected = List.of(new Seen(before, 1, "one"), new Seen(before, 2, "hold"), new Seen(before, 3, "three"),
                new Seen(before, 4, "four"), new Seen(before, 5, "five"), new Seen(after, 1, "after"));
        assertEquals(expected, aheadSaw);
        assertEquals(expected, behindSaw, "the node behind got the lost events, in the old epoch, before the new");
        RedisClient client = RedisClient.create(redis.uri());
        try (var connection = client.connect()) {
            Set<String> nodes = Set.of(((RedisRoster) ahead.roster().orElseThrow()).nodeId(),
                    ((RedisRoster) behind.roster().orElseThrow()).nodeId(), ((RedisRoster) idle.roster().orElseThrow()).nodeId());
            assertEquals(nodes, connection.sync().smembers("wschat:handover:" + lost + ":reported"));
            assertEquals(nodes, connection.sync().smembers("wschat:handover:" + lost + ":known"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aRoomCannotSubscribeWhileItsNodeHandsOverAndCanOnceItIsBack() throws Exception {
        // A lease of 3 s keeps the handover waiting for the dead node well beyond the 300 ms command timeout.
        RedisBroker node = RedisBroker.builder(redis.uri()).lease(Duration.ofSeconds(3))
                .commandTimeout(Duration.ofMillis(300)).build();
        brokers.add(node);
        RedisBroker dying = RedisBroker.builder(redis.uri()).lease(Duration.ofSeconds(3)).build();
        knowEachOther(List.of(node, dying));
        AtomicBoolean available = new AtomicBoolean(true);
        node.onAvailability(available::set);
        node.subscribe("r", 0, (sequence, time, event) -> { });
        dying.crash();
        redis.kill();
        await().atMost(WAIT).until(() -> !available.get());
        redis.restart();
        await().atMost(WAIT).until(node::isConnected);
        assertThrows(BrokerUnavailableException.class, () -> node.subscribe("late", 0, (sequence, time, event) -> { }),
                "a backlog read now could be of an epoch not handed over yet");
        await().atMost(WAIT).until(available::get);
        List<String> late = Collections.synchronizedList(new ArrayList<>());
        node.subscribe("late", 0, (sequence, time, event) -> late.add(text(event)));
        node.publish("late", new RoomEvent.Message("a", "now")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("now"), late);
    }

    @Test
    void aNodeThatDiedWithRedisHoldsUpTheHandoverForAtMostALease() throws Exception {
        RedisBroker first = broker();
        RedisBroker second = broker();
        RedisBroker dying = broker();
        knowEachOther(brokers);
        List<AtomicBoolean> available = List.of(new AtomicBoolean(true), new AtomicBoolean(true));
        first.onAvailability(available.get(0)::set);
        second.onAvailability(available.get(1)::set);
        List<String> firstSaw = Collections.synchronizedList(new ArrayList<>());
        List<String> secondSaw = Collections.synchronizedList(new ArrayList<>());
        first.subscribe("r", 0, (sequence, time, event) -> firstSaw.add(text(event)));
        second.subscribe("r", 0, (sequence, time, event) -> secondSaw.add(text(event)));
        dying.subscribe("r", 0, (sequence, time, event) -> { });
        first.publish("r", new RoomEvent.Message("a", "one")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> firstSaw.size() == 1 && secondSaw.size() == 1);
        dying.crash();
        brokers.remove(dying);
        redis.kill();
        await().atMost(WAIT).until(() -> !available.get(0).get() && !available.get(1).get());
        redis.restart();
        // The survivors wait for the dead node's handover until a lease has passed, then go on.
        back(brokers, available);
        second.publish("r", new RoomEvent.Message("b", "after")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> firstSaw.size() == 2 && secondSaw.size() == 2);
        assertEquals(List.of("one", "after"), firstSaw);
        assertEquals(List.of("one", "after"), secondSaw);
    }
}
