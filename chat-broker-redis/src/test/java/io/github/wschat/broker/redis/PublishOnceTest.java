package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Placement;
import io.github.wschat.broker.RoomEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisBroker#publishOnce}: one placement per key across nodes, kept through a restart of Redis. */
class PublishOnceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
        RedisBroker broker = RedisBroker.builder(redis.uri()).lease(Duration.ofSeconds(2)).build();
        brokers.add(broker);
        return broker;
    }

    private static Placement once(RedisBroker broker, String text, String key) throws Exception {
        return broker.publishOnce("r", new RoomEvent.Message("a", text), key).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The place, or null where the broker refused the publish as not sent (it is being recovered). */
    private static Placement onceRefusedAsNotSent(RedisBroker broker, String text, String key) throws Exception {
        try {
            return once(broker, text, key);
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof BrokerUnavailableException, e.toString());
            assertFalse(((BrokerUnavailableException) e.getCause()).isUncertain(), "refused, not maybe placed");
            return null;
        }
    }

    @Test
    void ofTwoNodesPublishingOneKeyOnePlacesItAndBothGetItsPlace() throws Exception {
        RedisBroker one = broker();
        RedisBroker two = broker();
        List<String> seenByOne = Collections.synchronizedList(new ArrayList<>());
        List<String> seenByTwo = Collections.synchronizedList(new ArrayList<>());
        one.subscribe("r", 0, (sequence, time, event) -> seenByOne.add(sequence + " " + ((RoomEvent.Message) event).text()));
        two.subscribe("r", 0, (sequence, time, event) -> seenByTwo.add(sequence + " " + ((RoomEvent.Message) event).text()));
        List<CompletableFuture<Placement>> racing = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            racing.add(one.publishOnce("r", new RoomEvent.Message("a", "k" + k), "i:a/k" + k).toCompletableFuture());
            racing.add(two.publishOnce("r", new RoomEvent.Message("a", "k" + k), "i:a/k" + k).toCompletableFuture());
        }
        for (int k = 0; k < 100; k++) {
            Placement a = racing.get(2 * k).get(10, TimeUnit.SECONDS);
            Placement b = racing.get(2 * k + 1).get(10, TimeUnit.SECONDS);
            assertEquals(a.sequence(), b.sequence(), "both name one place for key " + k);
            assertTrue(a.repeated() != b.repeated(), "one placed it, the other found it placed");
            assertEquals(one.epoch("r"), a.epoch());
        }
        Placement marker = once(one, "marker", "i:a/marker");
        await().atMost(WAIT).until(() -> seenByTwo.size() == 101);
        assertEquals(101, seenByOne.size(), "each key placed once: " + seenByOne);
        assertEquals(seenByOne, seenByTwo);
        assertEquals(101, marker.sequence());
        assertEquals(marker.asRepeat(), once(two, "marker", "i:a/marker"), "a repeat names the first place");
        assertFalse(once(two, "marker", "i:b/marker").repeated(), "another sender's key is another line");
    }

    @Test
    void aKeyPlacedBeforeRedisRestartedEmptyIsStillPlacedAfterTheHandover() throws Exception {
        RedisBroker node = broker();
        RedisBroker other = broker();
        await().atMost(WAIT).until(() -> ((RedisRoster) node.roster().orElseThrow()).liveNodes().size() == 2);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        node.subscribe("r", 0, (sequence, time, event) -> seen.add(((RoomEvent.Message) event).text()));
        other.subscribe("r", 0, (sequence, time, event) -> { });
        Placement before = once(node, "before", "i:a/1");
        String oldEpoch = node.epoch("r");
        AtomicBoolean available = new AtomicBoolean(true);
        node.onAvailability(available::set);
        redis.kill();
        await().atMost(WAIT).until(() -> !available.get());
        redis.restart();
        // Until the handover is done, a keyed publish is refused as not sent: it could not tell a repeat.
        Placement after = await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> onceRefusedAsNotSent(node, "before", "i:a/1"), java.util.Objects::nonNull);
        assertEquals(new Placement(oldEpoch, before.sequence(), true), after, "the first place, from the old epoch");
        Placement fresh = once(node, "fresh", "i:a/2");
        assertFalse(fresh.repeated());
        await().atMost(WAIT).until(() -> seen.contains("fresh"));
        assertEquals(List.of("before", "fresh"), seen, "the resent line was not placed again");
    }
    /**
     * A sender's acknowledgement must follow its line: the outcome completes only once this node's
     * listeners (the room's members here) had the event, not when the reader took it from Redis.
     */
    @Test
    void anOutcomeCompletesOnlyAfterThisNodesListenersHadTheEvent() throws Exception {
        RedisBroker node = broker();
        Set<Long> heard = ConcurrentHashMap.newKeySet();
        node.subscribe("r", 0, (sequence, time, event) -> {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // a room's fan-out takes a while
            heard.add(sequence);
        });
        // One at a time: the reader is idle when each event comes, and Redis's answer to the append
        // and the reader's read of the event reach this node at about the same moment.
        long early = 0;
        for (int k = 0; k < 300; k++) {
            early += node.publishOnce("r", new RoomEvent.Message("a", "k" + k), "i:a/k" + k).toCompletableFuture()
                    .thenApply(placement -> heard.contains(placement.sequence())).get(30, TimeUnit.SECONDS) ? 0 : 1;
        }
        assertEquals(0, early, "outcomes completed before this node's listeners had their event");
    }
}
