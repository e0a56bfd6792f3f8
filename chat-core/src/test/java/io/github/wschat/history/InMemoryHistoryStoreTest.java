package io.github.wschat.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.RoomEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryHistoryStoreTest {

    static List<PlacedEvent> lines(String room, String epoch, int from, int to, long time, String author) {
        List<PlacedEvent> events = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            events.add(new PlacedEvent(room, epoch, seq, time + seq, new RoomEvent.Message("ann", epoch + " " + seq, author)));
        }
        return events;
    }

    @Test
    void pagesBackAcrossEpochsOldestFirstAndEachPositionIsKeptOnce() {
        InMemoryHistoryStore store = new InMemoryHistoryStore();
        store.append(lines("r", "e1", 1, 30, 1_000, "id-ann"));
        store.append(lines("r", "e2", 1, 20, 5_000, ""));
        store.append(lines("r", "e2", 10, 20, 5_000, "")); // again, as a second node writes it
        store.append(List.of(new PlacedEvent("r", "e2", 21, 6_000, new RoomEvent.Private("a", "b", "psst"))));
        HistoryPage newest = store.before("r", Optional.empty(), 25);
        assertEquals(25, newest.events().size());
        assertTrue(newest.more());
        assertEquals("e1 26", ((RoomEvent.Message) newest.events().get(0).event()).text(), "the page spans the epoch change");
        assertEquals("e2 20", ((RoomEvent.Message) newest.events().get(24).event()).text(), "private lines are never kept");
        HistoryPage older = store.before("r", Optional.of(new Position("e1", 26)), 100);
        assertEquals(25, older.events().size());
        assertFalse(older.more());
        HistoryPage after = store.after("r", new Position("e1", 28), 5);
        assertEquals(List.of("e1 29", "e1 30", "e2 1", "e2 2", "e2 3"),
                after.events().stream().map(e -> ((RoomEvent.Message) e.event()).text()).toList());
        assertTrue(after.more());
        assertEquals(HistoryPage.EMPTY, store.after("r", new Position("gone", 1), 5), "an epoch it does not know");
    }

    @Test
    void forgettingErasesAnAuthorsLinesAndRetentionTheOldOnes() {
        InMemoryHistoryStore store = new InMemoryHistoryStore();
        store.append(lines("r", "e1", 1, 10, 1_000, "id-ann"));
        store.append(lines("q", "e9", 1, 5, 1_000, "id-ann"));
        store.append(lines("r", "e1", 11, 20, 1_000, "id-bob"));
        assertEquals(15, store.forget("id-ann"));
        assertEquals(10, store.before("r", Optional.empty(), 50).events().size());
        assertEquals(0, store.before("q", Optional.empty(), 50).events().size());
        assertEquals(0, store.forget(""), "anonymous lines have no author to forget");
        assertEquals(5, store.expire(Instant.ofEpochMilli(1_016)));
        assertEquals(5, store.before("r", Optional.empty(), 50).events().size());
    }
}
