package io.github.wschat.history.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.history.HistoryPage;
import io.github.wschat.history.HistoryStore;
import io.github.wschat.history.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What every {@link JdbcHistoryStore} does, on whichever database the subclass gives it. */
abstract class StoreCases {

    /** A fresh, empty store. */
    abstract JdbcHistoryStore store() throws Exception;

    static List<PlacedEvent> lines(String room, String epoch, int from, int to, long time, String author) {
        List<PlacedEvent> events = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            events.add(new PlacedEvent(room, epoch, seq, time + seq, new RoomEvent.Message("ann", epoch + " " + seq, author)));
        }
        return events;
    }

    static List<String> texts(HistoryPage page) {
        return page.events().stream().map(e -> e.event() instanceof RoomEvent.Message m ? m.text() : e.event().toString()).toList();
    }

    @Test
    void tenThousandLinesOverThreeEpochsReadBackPageByPageFromTheOldestAsWritten() throws Exception {
        try (HistoryStore store = store()) {
            List<PlacedEvent> written = new ArrayList<>();
            written.addAll(lines("lobby", "e1", 1, 4_000, 1_000_000, "id-ann"));
            written.addAll(lines("lobby", "e2", 1, 3_000, 2_000_000, ""));
            written.addAll(lines("lobby", "e3", 1, 3_000, 3_000_000, "id-bob"));
            for (int i = 0; i < written.size(); i += 500) {
                store.append(written.subList(i, Math.min(written.size(), i + 500)));
            }
            store.append(written.subList(3_900, 4_200)); // again, as a second node writes them: kept once
            List<PlacedEvent> read = new ArrayList<>();
            Optional<Position> before = Optional.empty();
            while (true) {
                HistoryPage page = store.before("lobby", before, HistoryStore.MAX_PAGE);
                read.addAll(0, page.events());
                if (!page.more()) {
                    break;
                }
                before = Optional.of(new Position(page.events().get(0).epoch(), page.events().get(0).sequence()));
            }
            assertEquals(written, read, "every line once, in the room's order, across the epochs");
            HistoryPage onward = store.after("lobby", new Position("e1", 3_998), 5);
            assertEquals(List.of("e1 3999", "e1 4000", "e2 1", "e2 2", "e2 3"), texts(onward));
            assertTrue(onward.more());
            assertEquals(HistoryPage.EMPTY, store.after("lobby", new Position("unknown", 1), 5));
        }
    }

    @Test
    void everyKindOfPublicEventComesBackAsItWentInAndPrivateLinesNever() throws Exception {
        try (HistoryStore store = store()) {
            List<RoomEvent> kinds = List.of(new RoomEvent.Message("ann", "hi ünïcödé ✓", "id-ann"),
                    new RoomEvent.Action("ann", "waves", "id-ann"), new RoomEvent.Joined("bob"), new RoomEvent.Left("bob"),
                    new RoomEvent.Renamed("ann", "anna"), new RoomEvent.Notice("the quiz starts"),
                    new RoomEvent.Removed("eve", "spam", 3_600_000, true), new RoomEvent.Muted("cy", 60_000, "shouting"));
            List<PlacedEvent> events = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                events.add(new PlacedEvent("r", "e", i + 1, 1_000 + i, kinds.get(i)));
            }
            List<PlacedEvent> withPrivate = new ArrayList<>(events);
            withPrivate.add(new PlacedEvent("r", "e", 99, 2_000, new RoomEvent.Private("a", "b", "psst")));
            store.append(withPrivate);
            assertEquals(events, store.before("r", Optional.empty(), 50).events());
        }
    }

    @Test
    void aBatchOfInterleavedRoomsAndEpochsPutsEachEventInItsOwnRoom() throws Exception {
        try (HistoryStore store = store()) {
            // As a server's batch holds them: the rooms' events in the order they were placed.
            List<PlacedEvent> batch = new ArrayList<>();
            List<PlacedEvent> a = new ArrayList<>();
            List<PlacedEvent> b = new ArrayList<>();
            for (int seq = 1; seq <= 30; seq++) {
                PlacedEvent inA = new PlacedEvent("a", seq <= 20 ? "a1" : "a2", seq <= 20 ? seq : seq - 20, 10_000 + seq,
                        new RoomEvent.Message("ann", "a " + seq, "id-ann"));
                PlacedEvent inB = new PlacedEvent("b", "b1", seq, 10_000 + seq, seq % 7 == 0 ? new RoomEvent.Joined("n" + seq)
                        : new RoomEvent.Message("bob", "b " + seq, ""));
                batch.add(inA);
                a.add(inA);
                if (seq % 3 != 0) {
                    batch.add(inB);
                    b.add(inB);
                }
            }
            store.append(batch);
            assertEquals(a, store.before("a", Optional.empty(), 100).events());
            assertEquals(b, store.before("b", Optional.empty(), 100).events());
            assertEquals(List.of("a 20", "a 21"), texts(store.after("a", new Position("a1", 19), 2)));
        }
    }

    @Test
    void twoNodesWritingTheSameEventsAtOnceKeepEachOnce() throws Exception {
        try (HistoryStore store = store()) {
            List<PlacedEvent> events = lines("r", "e", 1, 2_000, 0, "");
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < events.size(); i += 100) {
                        store.append(events.subList(i, i + 100));
                    }
                }));
            }
            CompletableFuture.allOf(writers.toArray(new CompletableFuture[0])).join();
            List<PlacedEvent> read = new ArrayList<>();
            Optional<Position> before = Optional.empty();
            HistoryPage page;
            do {
                page = store.before("r", before, 200);
                read.addAll(0, page.events());
                before = page.events().isEmpty() ? before
                        : Optional.of(new Position(page.events().get(0).epoch(), page.events().get(0).sequence()));
            } while (page.more());
            assertEquals(events, read);
        }
    }

    @Test
    void forgettingErasesAPersonsLinesEverywhereAndRetentionTheOldEvents() throws Exception {
        try (HistoryStore store = store()) {
            store.append(lines("r", "e1", 1, 10, 1_000, "id-ann"));
            store.append(lines("q", "e9", 1, 5, 1_000, "id-ann"));
            store.append(lines("r", "e1", 11, 20, 1_000, "id-bob"));
            store.append(List.of(new PlacedEvent("r", "e1", 21, 1_021, new RoomEvent.Joined("ann"))));
            assertEquals(15, store.forget("id-ann"));
            assertEquals(0, store.forget("id-ann"), "nothing left to forget");
            HistoryPage left = store.before("r", Optional.empty(), 50);
            assertEquals(11, left.events().size(), "bob's lines and her join");
            assertTrue(left.events().stream().noneMatch(e -> e.event() instanceof RoomEvent.Message m && m.author().equals("id-ann")));
            assertFalse(store.before("q", Optional.empty(), 50).more());
            assertEquals(6, store.expire(Instant.ofEpochMilli(1_017)));
            assertEquals(5, store.before("r", Optional.empty(), 50).events().size());
        }
    }
}
