package io.github.wschat.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wschat.tck.TckClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Redis SIGKILLed mid-stream and started again from a snapshot taken a second earlier: older data under
 * the same marker. The nodes had read further than Redis now holds; the room takes a new epoch from
 * the first lost number, every line reaches every member or none, every acknowledged line reaches all,
 * and the room resumes.
 */
class OlderDataTest {

    @Test
    void aRedisBackWithOlderDataGivesTheRoomANewEpochAndEveryLineReachesAllOrNone() throws Exception {
        try (ChatNodes cluster = ChatNodes.start(3, Duration.ofSeconds(2), chat -> chat)) {
            MidStream room = new MidStream(cluster, "snap", 30);
            room.sendFor(1_000);
            Path snapshot = cluster.redis.snapshot();
            room.sendFor(1_000);
            cluster.redis.kill();
            int lostAt = room.sent();
            room.sendFor(300); // refused: Redis is gone
            cluster.redis.restartFrom(snapshot);
            int back = room.sent();
            room.sendFor(2_500);
            room.finish();
            room.assertAllOrNone(back, "Redis came back with older data");
            String endPlace = room.endPlace();
            String newEpoch = endPlace.substring(0, endPlace.indexOf(':'));
            assertEquals(2, room.epochs().size(), "the old epoch and the new: " + room.epochs());
            assertNotEquals(room.epoch, newEpoch, "the room is in a new epoch");
            // Positions: a client of the old epoch is told it missed events, one of the new resumes.
            long lastSeq = Long.parseLong(endPlace.substring(endPlace.indexOf(':') + 1));
            TckClient old = cluster.connect(1, "/chat/snap?nick=old&since=" + room.epoch + ":" + (lostAt - 1), MidStream.JSON);
            assertTrue(MidStream.read(old.nextMessageMatching(m -> m.contains("\"welcome\""), MidStream.WAIT))
                    .get("missed").asBoolean(), "a position of the old epoch is missed, never resumed");
            TckClient resumed = cluster.connect(2, "/chat/snap?nick=new&since=" + newEpoch + ":" + (lastSeq - 1),
                    MidStream.JSON);
            JsonNode welcome = MidStream.read(resumed.nextMessageMatching(m -> m.contains("\"welcome\""), MidStream.WAIT));
            assertFalse(welcome.get("missed").asBoolean(), welcome.toString());
            assertEquals(newEpoch, welcome.get("epoch").asText());
        }
    }
}
