package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wschat.app.PlacedEvent;
import io.github.wschat.history.HistoryPage;
import io.github.wschat.history.Position;
import io.github.wschat.history.jdbc.JdbcHistoryStore;
import io.github.wschat.history.jdbc.PostgresServer;
import io.github.wschat.tck.TckClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every event the room delivered is in the database once, in the room's order, and none it did not
 * deliver — with the node that placed a third of them killed mid-stream (its clients cut, its queue
 * for the store lost): three nodes on one real redis-server, each with a PostgreSQL history store on
 * one real PostgreSQL, compared event by event against a reader that saw the whole room.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HistoryUnderFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theStoreHoldsWhatTheRoomDeliveredOnceInOrderThroughANodesDeath() throws Exception {
        RedisServer.requireInstalled();
        try (PostgresServer postgres = PostgresServer.start()) {
            List<JdbcHistoryStore> stores = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                stores.add(JdbcHistoryStore.open(postgres.jdbcUrl(), postgres.user(), ""));
            }
            int[] next = {0};
            try (ChatNodes cluster = ChatNodes.start(3, Duration.ofSeconds(2), chat -> chat.historySize(0)
                    .announceJoins(true).historyStore(stores.get(next[0]++)))) {
                TckClient reader = cluster.connect(0, "/chat/kept?nick=reader", MidStream.JSON);
                JsonNode welcome = MidStream.read(reader.nextMessageMatching(m -> m.contains("\"welcome\""), WAIT));
                String epoch = welcome.get("epoch").asText();
                List<TckClient> senders = new ArrayList<>();
                for (int s = 0; s < 30; s++) {
                    senders.add(cluster.connect(1 + s % 2, "/chat/kept?nick=s" + s, MidStream.JSON));
                }
                int sent = 0;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                boolean killed = false;
                while (System.nanoTime() < until) {
                    TckClient from = senders.get(sent % senders.size());
                    if (!(killed && sent % 2 == 1)) { // after the kill, node 3's senders (odd ones) are gone
                        from.send("{\"type\":\"say\",\"text\":\"L" + sent + "\"}");
                    }
                    sent++;
                    if (!killed && System.nanoTime() > until - TimeUnit.MILLISECONDS.toNanos(1_500)) {
                        cluster.brokers.get(2).crash(); // as SIGKILL leaves it: its queue for the store is lost
                        cluster.nodes.get(2).close();
                        killed = true;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                senders.get(0).send("{\"type\":\"say\",\"text\":\"END\"}");
                List<PlacedEvent> seen = new ArrayList<>();
                while (true) {
                    JsonNode frame = MidStream.read(reader.nextMessage(WAIT));
                    if (!frame.has("seq")) {
                        continue;
                    }
                    seen.add(new PlacedEvent("kept", frame.get("epoch").asText(), frame.get("seq").asLong(),
                            frame.get("time").asLong(), eventOf(frame)));
                    if (frame.path("text").asText().equals("END")) {
                        break;
                    }
                }
                JdbcHistoryStore any = stores.get(0);
                PlacedEvent end = seen.get(seen.size() - 1);
                await().atMost(WAIT).until(() -> any.before("kept", Optional.empty(), 1).events().stream()
                        .anyMatch(e -> e.sequence() >= end.sequence()));
                // Everything the store holds after the reader's welcome, up to END: page from END backwards.
                List<PlacedEvent> kept = new ArrayList<>();
                Optional<Position> before = Optional.of(new Position(end.epoch(), end.sequence() + 1));
                while (true) {
                    HistoryPage page = any.before("kept", before, 200);
                    List<PlacedEvent> fresh = page.events().stream()
                            .filter(e -> e.sequence() >= seen.get(0).sequence()).toList();
                    kept.addAll(0, fresh);
                    if (!page.more() || fresh.size() < page.events().size()) {
                        break;
                    }
                    before = Optional.of(new Position(page.events().get(0).epoch(), page.events().get(0).sequence()));
                }
                assertTrue(seen.size() > 300, "lines flowed: " + seen.size());
                assertEquals(epoch, end.epoch());
                assertEquals(seen, kept, "every event the room delivered, once, in its order, and nothing else");
            } finally {
                stores.forEach(JdbcHistoryStore::close);
            }
        }
    }

    /** A delivered event frame as the room event it tells of (the author is not on the wire: compared without it). */
    private static io.github.wschat.broker.RoomEvent eventOf(JsonNode frame) {
        return switch (frame.get("type").asText()) {
            case "message" -> new io.github.wschat.broker.RoomEvent.Message(frame.get("from").asText(), frame.get("text").asText());
            case "join" -> new io.github.wschat.broker.RoomEvent.Joined(frame.get("nick").asText());
            case "leave" -> new io.github.wschat.broker.RoomEvent.Left(frame.get("nick").asText());
            default -> throw new AssertionError("unexpected " + frame);
        };
    }
}
