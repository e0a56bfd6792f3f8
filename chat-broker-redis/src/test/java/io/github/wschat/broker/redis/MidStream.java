package io.github.wschat.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.tck.TckClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON clients of one room spread over the nodes, sending lines with ids (so each is acknowledged with
 * its place, or refused) round the clients at about 150 a second while a test breaks Redis; then what
 * every member received, to hold against "every line reaches every member or none".
 */
final class MidStream {

    private static final Logger log = LoggerFactory.getLogger(MidStream.class);
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<String> JSON = List.of("wschat.v1.json");

    final List<TckClient> clients = new ArrayList<>();
    /** The room's epoch when the clients joined. */
    final String epoch;
    private int sent;
    /** When each line was sent, {@link System#nanoTime}. */
    private final Map<String, Long> sentAt = new HashMap<>();

    /** Text to client to the {@code epoch:seq} it was delivered at. */
    final Map<String, Map<String, String>> placeOf = new HashMap<>();
    /** Text to the {@code epoch:seq} its sender's acknowledgement named. */
    final Map<String, String> acked = new HashMap<>();
    final Set<String> refused = new HashSet<>();
    /** Members announced as left while every client stayed connected. */
    final List<String> leaves = new ArrayList<>();
    String end;

    MidStream(ChatNodes nodes, String room, int count) {
        this(nodes, room, count, "c");
    }

    /** As above, the members' nicknames starting with {@code nicks} (a nickname is the server's, not the room's). */
    MidStream(ChatNodes nodes, String room, int count, String nicks) {
        String joined = null;
        for (int c = 0; c < count; c++) {
            TckClient client;
            try {
                client = nodes.connect(c % nodes.nodes.size(), "/chat/" + room + "?nick=" + nicks + c, JSON);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            joined = read(client.nextMessageMatching(m -> m.contains("\"welcome\""), WAIT)).get("epoch").asText();
            clients.add(client);
        }
        this.epoch = joined;
    }

    static JsonNode read(String frame) {
        try {
            return MAPPER.readTree(frame);
        } catch (java.io.IOException e) {
            throw new AssertionError(frame, e);
        }
    }

    /** How many lines were sent so far: the next one is {@code L<sent()>}. */
    int sent() {
        return sent;
    }

    /** Sends lines round the clients, one each 6 ms, for about {@code millis}. */
    void sendFor(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            String text = "L" + sent;
            clients.get(sent % clients.size()).send("{\"type\":\"say\",\"id\":\"" + text + "\",\"text\":\"" + text + "\"}");
            sentAt.put(text, System.nanoTime());
            sent++;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(6));
        }
    }

    /**
     * Sends a last line until one is acknowledged (the room takes lines again), then reads what every
     * member received up to it.
     */
    void finish() {
        TckClient last = clients.get(0);
        List<String> readEarly = new ArrayList<>(); // what the last line's sender read while waiting for its ack
        for (int attempt = 0; end == null && attempt < 300; attempt++) {
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
        for (int c = 0; c < clients.size(); c++) {
            boolean done = false;
            while (!done) {
                String got;
                try {
                    got = c == 0 && !readEarly.isEmpty() ? readEarly.remove(0) : clients.get(c).nextMessage(WAIT);
                } catch (AssertionError e) {
                    throw new AssertionError("c" + c + " did not get " + end, e);
                }
                JsonNode frame = read(got);
                String type = frame.get("type").asText();
                if (type.equals("message")) {
                    String text = frame.get("text").asText();
                    String place = frame.get("epoch").asText() + ":" + frame.get("seq").asLong();
                    String before = placeOf.computeIfAbsent(text, t -> new HashMap<>()).put("c" + c, place);
                    assertEquals(null, before, "c" + c + " got " + text + " twice");
                    done = text.equals(end);
                } else if (type.equals("leave")) {
                    leaves.add(got);
                } else if (type.equals("ack") && frame.has("seq")) {
                    acked.put(frame.get("id").asText(), frame.get("epoch").asText() + ":" + frame.get("seq").asLong());
                } else if (type.equals("error") && frame.has("id")) {
                    if (refused.add(frame.get("id").asText()) && refused.size() % 100 == 1) {
                        log.info("refused, for example: {}", got);
                    }
                }
            }
        }
    }

    /**
     * Checks every line reached every member or none, at one place, and every acknowledged line every
     * member at the place its acknowledgement named; logs the figures.
     *
     * @param from the first line sent after Redis came back
     * @return how many lines sent after Redis came back were delivered
     */
    long assertAllOrNone(int from, String what) {
        int partial = 0;
        for (Map.Entry<String, Map<String, String>> line : placeOf.entrySet()) {
            if (line.getValue().size() != clients.size()) {
                partial++;
                log.warn("{} reached {} of {} members", line.getKey(), line.getValue().size(), clients.size());
            }
            assertEquals(1, new HashSet<>(line.getValue().values()).size(), line.getKey() + " took one place: "
                    + line.getValue());
        }
        int unacknowledged = 0;
        for (Map.Entry<String, String> ack : acked.entrySet()) {
            Map<String, String> got = placeOf.get(ack.getKey());
            if (got == null || got.size() != clients.size()) {
                if (unacknowledged++ < 10) {
                    log.warn("{} was acknowledged at {} and reached {} of {} members", ack.getKey(), ack.getValue(),
                            got == null ? 0 : got.size(), clients.size());
                }
            } else {
                assertEquals(ack.getValue(), got.values().iterator().next(), "acknowledged where it was placed");
            }
        }
        long after = placeOf.keySet().stream().filter(t -> t.startsWith("L") && Integer.parseInt(t.substring(1)) >= from)
                .count();
        long refusedBefore = refused.stream().filter(t -> t.startsWith("L") && Integer.parseInt(t.substring(1)) < from).count();
        log.info("{}: {} lines sent, {} acknowledged, {} refused ({} of them sent before), {} delivered ({} of them sent "
                + "after), {} delivered to some members only, {} acknowledged and not delivered to all; epochs {}", what, sent,
                acked.size(), refused.size(), refusedBefore, placeOf.size(), after, partial, unacknowledged, epochs());
        assertEquals(List.of(), leaves, "no member still connected was announced as left");
        assertEquals(0, partial, "every line reached every member or none");
        assertEquals(0, unacknowledged, "every acknowledged line reached every member");
        assertTrue(after > 0, "the room went on");
        return after;
    }

    /**
     * How long after {@code breakAt} ({@link System#nanoTime}) the room took lines again: from then to
     * the sending of the first line sent after it that was acknowledged; -1 if none was.
     */
    long degradedMillis(long breakAt) {
        return acked.keySet().stream().filter(sentAt::containsKey).mapToLong(sentAt::get).filter(t -> t >= breakAt)
                .min().stream().map(t -> (t - breakAt) / 1_000_000).findFirst().orElse(-1);
    }

    /** The epochs the members saw lines in. */
    Set<String> epochs() {
        Set<String> epochs = new HashSet<>();
        placeOf.values().forEach(places -> places.values().forEach(p -> epochs.add(p.substring(0, p.indexOf(':')))));
        return epochs;
    }

    /** The place of the last line. */
    String endPlace() {
        return placeOf.get(end).values().iterator().next();
    }
}
