package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fence of every append: Redis holds older data of a room than the nodes read, with no dropped
 * connection to tell them (as for a line the Redis client sends again into a Redis that came back, before
 * any node checked). A line must then not take a number the nodes passed — it would be acknowledged by
 * its node and reach no one — but be refused as not sent, and the room go on in a new epoch that every
 * node reads.
 */
class FenceTest {

    private static final String ROOM = "fenced";
    private RedisServer redis;
    private final List<RedisBroker> brokers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        for (int i = 0; i < 2; i++) {
            brokers.add(RedisBroker.connect(redis.uri()));
        }
    }

    @AfterEach
    void stop() throws Exception {
        brokers.forEach(RedisBroker::close);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aLineThatWouldTakeANumberTheNodesPassedIsRefusedAndTheRoomGoesOnInANewEpoch() throws Exception {
        List<List<String>> seen = new ArrayList<>();
        for (RedisBroker broker : brokers) {
            List<String> mine = Collections.synchronizedList(new ArrayList<>());
            seen.add(mine);
            broker.subscribe(ROOM, (sequence, time, event) -> mine.add(((RoomEvent.Message) event).text()));
        }
        for (int i = 0; i < 20; i++) {
            brokers.get(i % 2).publish(ROOM, new RoomEvent.Message("a", "m" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().allMatch(s -> s.size() == 20));
        String before = brokers.get(0).epoch(ROOM);

        // Older data under the same epoch: the last ten events gone, the counter back at 10.
        RoomKeys keys = new RoomKeys("wschat");
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            // As a snapshot holds it: the stream as it was at event 10 (XDEL would keep the stream's last id).
            List<StreamMessage<String, String>> kept = raw.sync().xrange(keys.events(ROOM), Range.create("-", "10-0"));
            raw.sync().del(keys.events(ROOM));
            for (StreamMessage<String, String> entry : kept) {
                raw.sync().xadd(keys.events(ROOM), new io.lettuce.core.XAddArgs().id(entry.getId()), entry.getBody());
            }
            raw.sync().set(keys.seq(ROOM), "10");
        } finally {
            client.shutdown();
        }

        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> brokers.get(0).publish(ROOM, new RoomEvent.Message("a", "behind")).toCompletableFuture().join());
        BrokerUnavailableException cause = (BrokerUnavailableException) refused.getCause();
        assertFalse(cause.isUncertain(), "not sent: " + cause);

        // The room is checked and takes lines again, in a new epoch, after every number the nodes read.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            brokers.get(1).publish(ROOM, new RoomEvent.Message("a", "after")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            return true;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().allMatch(s -> s.contains("after")));
        for (List<String> mine : seen) {
            assertFalse(mine.contains("behind"), "the refused line reached no one: " + mine);
            assertEquals(21, mine.size(), "every node got the line after: " + mine);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !brokers.get(0).epoch(ROOM).equals(before)
                && brokers.get(0).epoch(ROOM).equals(brokers.get(1).epoch(ROOM)));
        assertNotEquals(before, brokers.get(1).epoch(ROOM));
        assertTrue(brokers.get(0).publish(ROOM, new RoomEvent.Message("a", "last")).toCompletableFuture()
                .handle((ok, e) -> e == null).get(10, TimeUnit.SECONDS), "the room takes lines");
    }
}
