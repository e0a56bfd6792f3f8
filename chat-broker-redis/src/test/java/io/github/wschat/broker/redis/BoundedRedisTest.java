package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.StoredEvent;
import io.github.wschat.tck.TckClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis stays bounded: a room's keys expire a retention after its last member left, a room that comes
 * back after that is a new epoch, and a live room's stream is held to its bytes and entries.
 */
class BoundedRedisTest {

    private static final Logger log = LoggerFactory.getLogger(BoundedRedisTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> JSON = List.of("wschat.v1.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode next(TckClient client, String type) {
        return read(client.nextMessageMatching(m -> m.contains("\"type\":\"" + type + "\""), WAIT));
    }

    private static JsonNode read(String frame) {
        try {
            return MAPPER.readTree(frame);
        } catch (java.io.IOException e) {
            throw new AssertionError(frame, e);
        }
    }

    private static long roomKeys(StatefulRedisConnection<String, String> redis) {
        return redis.sync().keys("wschat:{*").size();
    }

    private static long usedMemory(StatefulRedisConnection<String, String> redis) {
        String info = redis.sync().info("memory");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new AssertionError(info);
    }

    @Test
    void roomsWhoseMembersAllLeftLeaveNoKeyBehindOnceTheRetentionPassed() throws Exception {
        try (ChatNodes cluster = ChatNodes.start(2, Duration.ofSeconds(10), chat -> chat.maxConnectionsPerAddress(1_000),
                broker -> broker.roomRetention(Duration.ofSeconds(2)));
                Redis redis = new Redis(cluster.redis.uri())) {
            long empty = usedMemory(redis.connection);
            List<TckClient> members = new ArrayList<>();
            for (int r = 0; r < 300; r++) {
                TckClient member = cluster.connect(r % 2, "/chat/junk" + r + "?nick=u" + r);
                member.send("one line in room " + r);
                members.add(member);
            }
            for (int r = 0; r < 300; r++) {
                members.get(r).nextMessageMatching(m -> m.contains("one line in room"), WAIT);
            }
            long held = roomKeys(redis.connection);
            long full = usedMemory(redis.connection);
            // seq, events, epoch, bytes, and the presence: members, people, devices, counts, for each room
            assertEquals(300 * 8, held, "while the rooms have members");
            assertEquals(-1, redis.connection.sync().ttl("wschat:{junk7}:events"), "a room with members is kept");
            members.forEach(member -> member.close(1000, "bye"));
            await().atMost(WAIT).until(() -> roomKeys(redis.connection) == 0);
            // Redis frees an expired key's memory as it expires it; the figure follows within moments.
            await().atMost(WAIT).until(() -> full - usedMemory(redis.connection) > 100_000);
            long after = usedMemory(redis.connection);
            log.info("300 rooms, one line each: {} room keys and {} bytes of Redis memory with members, "
                    + "{} keys and {} bytes once they left and the retention passed (empty: {} bytes)",
                    held, full, roomKeys(redis.connection), after, empty);
            assertTrue(redis.connection.sync().keys("wschat:nick:*").isEmpty(), "nicknames freed");
        }
    }

    @Test
    void aRoomBackWithinTheRetentionResumesAndAfterItIsANewEpochWhereAnOldPositionIsMissed() throws Exception {
        try (ChatNodes cluster = ChatNodes.start(2, Duration.ofSeconds(10), chat -> chat,
                broker -> broker.roomRetention(Duration.ofSeconds(2)));
                Redis redis = new Redis(cluster.redis.uri())) {
            TckClient ann = cluster.connect(0, "/chat/back?nick=ann", JSON);
            String epoch = next(ann, "welcome").get("epoch").asText();
            for (int k = 1; k <= 3; k++) {
                ann.send("{\"type\":\"say\",\"text\":\"line " + k + "\"}");
            }
            long seen = 0;
            for (int k = 1; k <= 3; k++) {
                seen = next(ann, "message").get("seq").asLong();
            }
            ann.close(1000, "bye");
            await().atMost(WAIT).until(() -> redis.connection.sync().pttl("wschat:{back}:events") > 0);

            TckClient soon = cluster.connect(1, "/chat/back?nick=ann&since=" + epoch + ":" + (seen - 1), JSON);
            JsonNode resumed = next(soon, "welcome");
            assertEquals(epoch, resumed.get("epoch").asText(), "back within the retention: the same epoch");
            assertFalse(resumed.get("missed").asBoolean(), "nothing missed: " + resumed);
            assertEquals(-1, redis.connection.sync().ttl("wschat:{back}:events"), "a join keeps the room's keys");
            soon.close(1000, "bye");

            await().atMost(WAIT).until(() -> redis.connection.sync().exists("wschat:{back}:events",
                    "wschat:{back}:seq", "wschat:{back}:epoch", "wschat:{back}:bytes") == 0);
            TckClient late = cluster.connect(0, "/chat/back?nick=ann&since=" + epoch + ":" + seen, JSON);
            JsonNode welcome = next(late, "welcome");
            assertNotEquals(epoch, welcome.get("epoch").asText(), "the room came back as a new epoch");
            assertTrue(welcome.get("missed").asBoolean(), "an old position is missed, never resumed: " + welcome);
            late.send("{\"type\":\"say\",\"text\":\"again\"}");
            JsonNode again = next(late, "message");
            assertEquals(welcome.get("epoch").asText(), again.get("epoch").asText());
            assertEquals(1, again.get("seq").asLong(), "numbering starts again");
        }
    }

    @Test
    void aLiveRoomsStreamIsHeldToItsBytesAndEntries() throws Exception {
        try (RedisServer server = RedisServer.start(); Redis redis = new Redis(server.uri());
                RedisBroker bytes = RedisBroker.builder(server.uri()).streamBytes(20_000).build();
                RedisBroker entries = RedisBroker.builder(server.uri()).prefix("few").streamLength(50).build()) {
            String line = "x".repeat(1_000);
            long before = usedMemory(redis.connection);
            for (int k = 0; k < 500; k++) {
                bytes.publish("big", new RoomEvent.Message("a", k + line));
                entries.publish("many", new RoomEvent.Message("a", "line " + k));
            }
            bytes.publish("big", new RoomEvent.Message("a", "last")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            entries.publish("many", new RoomEvent.Message("a", "last")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            long kept = redis.connection.sync().xlen("wschat:{big}:events");
            long counted = Long.parseLong(redis.connection.sync().get("wschat:{big}:bytes"));
            long actual = 0;
            for (var entry : redis.connection.sync().xrange("wschat:{big}:events", io.lettuce.core.Range.create("-", "+"))) {
                for (var field : entry.getBody().entrySet()) {
                    actual += field.getKey().length() + field.getValue().length();
                }
            }
            long memory = redis.connection.sync().memoryUsage("wschat:{big}:events");
            log.info("500 lines of 1,000 bytes into a room with a budget of 20,000 bytes: {} entries, {} bytes counted, "
                    + "{} bytes of fields, MEMORY USAGE {} bytes; Redis' memory grew by {} bytes", kept, counted, actual,
                    memory, usedMemory(redis.connection) - before);
            assertEquals(actual, counted, "the budget counts what the stream holds");
            assertTrue(counted <= 20_000, "held to its bytes: " + counted);
            assertTrue(kept >= 15, "as many of the newest lines as fit: " + kept);
            assertTrue(memory < 64_000, "the stream's memory follows its bytes: " + memory);
            assertEquals(50, redis.connection.sync().xlen("few:{many}:events"), "held to its entries");
            List<StoredEvent> newest = bytes.recent("big", 1_000);
            assertEquals(new RoomEvent.Message("a", "last"), newest.get(newest.size() - 1).event());
            assertEquals(new RoomEvent.Message("a", "499" + line), newest.get(newest.size() - 2).event(),
                    "the oldest went first");
        }
    }

    @Test
    void aRedisAtItsMaxmemoryRefusesLinesAsNotSentAndTakesThemAgainOnceItHasRoom() throws Exception {
        try (RedisServer server = RedisServer.start(); Redis redis = new Redis(server.uri());
                RedisBroker broker = RedisBroker.builder(server.uri()).build()) {
            broker.subscribe("r", 0, (sequence, time, event) -> { });
            redis.connection.sync().configSet("maxmemory-policy", "noeviction");
            redis.connection.sync().configSet("maxmemory", Long.toString(usedMemory(redis.connection) + 200_000));
            String line = "x".repeat(1_000);
            Throwable refused = null;
            int placed = 0;
            for (int k = 0; k < 2_000 && refused == null; k++) {
                try {
                    broker.publish("r", new RoomEvent.Message("a", line)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    placed++;
                } catch (java.util.concurrent.ExecutionException e) {
                    refused = e.getCause();
                }
            }
            assertTrue(refused instanceof io.github.wschat.broker.BrokerUnavailableException, String.valueOf(refused));
            assertFalse(((io.github.wschat.broker.BrokerUnavailableException) refused).isUncertain(),
                    "a full Redis wrote nothing: not sent, never 'maybe placed'");
            long entries = redis.connection.sync().xlen("wschat:{r}:events");
            assertEquals(placed + 1, entries, "no half-placed line (the marker and each placed line)");
            redis.connection.sync().configSet("maxmemory", "0");
            broker.publish("r", new RoomEvent.Message("a", "room again")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            log.info("A Redis with 200 KB to spare took {} lines of 1 KB, then refused the next as not sent", placed);
        }
    }

    /** A plain connection to the test's Redis, to look at its keys. */
    private static final class Redis implements AutoCloseable {
        final RedisClient client;
        final StatefulRedisConnection<String, String> connection;

        Redis(String uri) {
            client = RedisClient.create(uri);
            connection = client.connect();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
