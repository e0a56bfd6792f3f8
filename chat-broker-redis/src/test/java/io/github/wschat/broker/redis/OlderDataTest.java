package io.github.wschat.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.tck.TckClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis SIGKILLed mid-stream and started again from a snapshot taken a second earlier: older data under
 * the same marker. The nodes had read further than Redis now holds; the room takes a new epoch from
 * the first lost number, every line reaches every member or none, every acknowledged line reaches all,
 * and the room resumes.
 */
class OlderDataTest {

    private static final Logger log = LoggerFactory.getLogger(OlderDataTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int CLIENTS = 30;

    private static JsonNode read(String frame) {
        try {
            return MAPPER.readTree(frame);
        } catch (java.io.IOException e) {
            throw new AssertionError(frame, e);
        }
    }

    /** Sends lines round the clients at about 150 a second for {@code millis}, or until {@code acks} more were acknowledged. */
    private static int sendFor(List<TckClient> clients, long millis, int first, Map<String, TckClient> sentBy) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        int n = first;
        while (System.nanoTime() < end) {
            TckClient client = clients.get(n % clients.size());
            String text = "L" + n;
            client.send("{\"type\":\"say\",\"id\":\"" + text + "\",\"text\":\"" + text + "\"}");
            sentBy.put(text, client);
            n++;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(6));
        }
        return n;
    }

    @Test
    void aRedisBackWithOlderDataGivesTheRoomANewEpochAndEveryLineReachesAllOrNone() throws Exception {
        try (ChatNodes cluster = ChatNodes.start(3, Duration.ofSeconds(2), chat -> chat)) {
            List<TckClient> clients = new ArrayList<>();
            String epoch = null;
            for (int c = 0; c < CLIENTS; c++) {
                TckClient client = cluster.connect(c % 3, "/chat/snap?nick=c" + c, List.of("wschat.v1.json"));
                JsonNode welcome = read(client.nextMessageMatching(m -> m.contains("\"welcome\""), WAIT));
                epoch = welcome.get("epoch").asText();
                clients.add(client);
            }
            Map<String, TckClient> sentBy = new HashMap<>();
            int n = sendFor(clients, 1_000, 0, sentBy);
            Path snapshot = cluster.redis.snapshot();
            n = sendFor(clients, 1_000, n, sentBy);
            cluster.redis.kill();
            int lostAt = n;
            n = sendFor(clients, 300, n, sentBy); // refused: Redis is gone
            cluster.redis.restartFrom(snapshot);
            int back = n;
            n = sendFor(clients, 2_500, n, sentBy);
            // The last line: acknowledged once the room took lines again, then every member reads up to it.
            TckClient last = clients.get(0);
            List<String> readEarly = new ArrayList<>(); // what the last line's sender read while waiting for its ack
            String end = null;
            for (int attempt = 0; end == null && attempt < 100; attempt++) {
                String text = "END" + attempt;
                last.send("{\"type\":\"say\",\"id\":\"" + text + "\",\"text\":\"" + text + "\"}");
                JsonNode answer = null;
                while (answer == null) {
                    String frame = last.nextMessage(WAIT);
                    readEarly.add(frame);
                    if (frame.contains("\"id\":\"" + text + "\"")) {
                        answer = read(frame);
                    }
                }
                if (answer.get("type").asText().equals("ack")) {
                    end = text;
                } else {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
            assertTrue(end != null, "the room takes lines again");

            // What each member received, up to the last line (its sender had it before its ack).
            Map<String, Map<String, String>> placeOf = new HashMap<>(); // text -> client -> epoch:seq
            Map<String, String> acked = new HashMap<>(); // text -> epoch:seq
            Set<String> refused = new HashSet<>();
            String finalText = end;
            for (int c = 0; c < CLIENTS; c++) {
                TckClient client = clients.get(c);
                boolean done = false;
                String previous = "";
                while (!done) {
                    String got;
                    try {
                        got = c == 0 && !readEarly.isEmpty() ? readEarly.remove(0) : client.nextMessage(WAIT);
                    } catch (AssertionError e) {
                        throw new AssertionError("c" + c + " did not get " + finalText + "; last: " + previous, e);
                    }
                    previous = got;
                    JsonNode frame = read(got);
                    String type = frame.get("type").asText();
                    if (type.equals("message")) {
                        String text = frame.get("text").asText();
                        String place = frame.get("epoch").asText() + ":" + frame.get("seq").asLong();
                        String before = placeOf.computeIfAbsent(text, t -> new HashMap<>()).put("c" + c, place);
                        assertEquals(null, before, "c" + c + " got " + text + " twice");
                        done = text.equals(finalText);
                    } else if (type.equals("ack") && frame.has("seq")) {
                        acked.put(frame.get("id").asText(), frame.get("epoch").asText() + ":" + frame.get("seq").asLong());
                    } else if (type.equals("error") && frame.has("id")) {
                        refused.add(frame.get("id").asText());
                    }
                }
            }
            int partial = 0;
            for (Map.Entry<String, Map<String, String>> line : placeOf.entrySet()) {
                if (line.getValue().size() != CLIENTS) {
                    partial++;
                    log.warn("{} reached {} of {} members", line.getKey(), line.getValue().size(), CLIENTS);
                }
                assertEquals(1, new HashSet<>(line.getValue().values()).size(), line.getKey() + " took one place: "
                        + line.getValue());
            }
            int unacknowledged = 0;
            for (Map.Entry<String, String> ack : acked.entrySet()) {
                Map<String, String> got = placeOf.get(ack.getKey());
                if (got == null || got.size() != CLIENTS) {
                    unacknowledged++;
                }
                if (got != null) {
                    assertEquals(ack.getValue(), got.values().iterator().next(), "acknowledged where it was placed");
                }
            }
            Set<String> epochs = new HashSet<>();
            placeOf.values().forEach(places -> places.values().forEach(p -> epochs.add(p.substring(0, p.indexOf(':')))));
            long afterBack = placeOf.keySet().stream().filter(t -> t.startsWith("L") && Integer.parseInt(t.substring(1)) >= back)
                    .count();
            log.info("{} lines sent, {} acknowledged, {} refused, {} delivered ({} of them sent after Redis came back "
                    + "with older data), {} delivered to some members only, {} acknowledged and not delivered to all; "
                    + "epochs {}", n, acked.size(), refused.size(), placeOf.size(), afterBack, partial, unacknowledged, epochs);
            assertEquals(0, partial, "every line reached every member or none");
            assertEquals(0, unacknowledged, "every acknowledged line reached every member");
            assertTrue(afterBack > 0, "the room went on after Redis came back");
            String newEpoch = placeOf.get(finalText).values().iterator().next();
            newEpoch = newEpoch.substring(0, newEpoch.indexOf(':'));
            assertEquals(2, epochs.size(), "the old epoch and the new: " + epochs);
            assertNotEquals(epoch, newEpoch, "the room is in a new epoch");
            // Positions: a client of the old epoch is told it missed events, one of the new resumes.
            String endPlace = placeOf.get(finalText).values().iterator().next();
            long lastSeq = Long.parseLong(endPlace.substring(endPlace.indexOf(':') + 1));
            TckClient old = cluster.connect(1, "/chat/snap?nick=old&since=" + epoch + ":" + (lostAt - 1),
                    List.of("wschat.v1.json"));
            assertTrue(read(old.nextMessageMatching(m -> m.contains("\"welcome\""), WAIT)).get("missed").asBoolean(),
                    "a position of the old epoch is missed, never resumed");
            TckClient resumed = cluster.connect(2, "/chat/snap?nick=new&since=" + newEpoch + ":" + (lastSeq - 1),
                    List.of("wschat.v1.json"));
            JsonNode welcome = read(resumed.nextMessageMatching(m -> m.contains("\"welcome\""), WAIT));
            assertFalse(welcome.get("missed").asBoolean(), welcome.toString());
            assertEquals(newEpoch, welcome.get("epoch").asText());
        }
    }
}
