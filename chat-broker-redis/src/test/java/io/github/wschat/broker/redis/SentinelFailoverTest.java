package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis with a replica and a real Sentinel: the master SIGKILLed mid-stream, the Sentinel promotes
 * the replica, the brokers (given the Sentinel's URI) follow it, every line reaches every member or
 * none and the room goes on.
 */
class SentinelFailoverTest {

    private static final Logger log = LoggerFactory.getLogger(SentinelFailoverTest.class);

    @Test
    void aMasterKilledMidStreamIsReplacedByItsReplicaAndEveryLineReachesEveryMemberOrNone() throws Exception {
        try (RedisSentinelServers redis = RedisSentinelServers.start();
                ChatNodes nodes = ChatNodes.on(redis.uri(), 3, Duration.ofSeconds(2), chat -> chat)) {
            MidStream room = new MidStream(nodes, "sentinel", 30);
            room.sendFor(1_500);
            long killed = System.nanoTime();
            redis.killMaster();
            int from = room.sent();
            room.sendFor(5_000);
            // Usually within seconds; a Sentinel that entered TILT (its timer late by 2 s: a stalled
            // process, a clock that jumped) takes no action for 30 s, then fails over.
            await().atMost(Duration.ofMinutes(2)).until(() -> redis.master() == redis.replicaPort);
            room.sendFor(1_500);
            room.finish();
            long after = room.assertAllOrNone(from, "the Sentinel's master SIGKILLed");
            log.info("The master killed; the Sentinel promoted its replica; the room took lines again {} ms after the kill; "
                    + "{} lines sent after it delivered", room.degradedMillis(killed), after);
            assertEquals(redis.replicaPort, redis.master());
        }
    }
}
