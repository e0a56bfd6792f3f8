package io.github.wschat.broker.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The promise of an acknowledgement held where Redis comes back with older data: three nodes, lines
 * with ids sent round the members of all three without a pause, Redis SIGKILLed while they flow and
 * started again half a second later from a snapshot two seconds old. Lines the nodes had sent when
 * Redis died are sent again by the Redis client once it reconnects — into the older data, before any
 * node has checked the room — and would take numbers every node had passed: no member would get them.
 * Every line must reach every member or none, and every acknowledged line every member, at the place
 * its acknowledgement named.
 */
class AcknowledgedAfterOlderDataTest {

    @Test
    void aLineAcknowledgedAfterRedisCameBackWithOlderDataReachesEveryMember() throws Exception {
        try (ChatNodes cluster = ChatNodes.start(3, Duration.ofSeconds(2), chat -> chat)) {
            MidStream room = new MidStream(cluster, "older", 30);
            room.sendFor(1_500);
            Path snapshot = cluster.redis.snapshot();
            // Killed from another thread while lines flow: some are in flight, and the client sends them again.
            CompletableFuture<Void> killed = CompletableFuture.runAsync(() -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2_000));
                try {
                    cluster.redis.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            room.sendFor(2_500);
            killed.get(10, TimeUnit.SECONDS);
            cluster.redis.restartFrom(snapshot);
            int back = room.sent();
            room.sendFor(2_500);
            room.finish();
            room.assertAllOrNone(back, "Redis came back 0.5 s later with data 2 s older");
        }
    }
}
