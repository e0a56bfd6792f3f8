package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.history.HistoryPage;
import io.github.wschat.history.HistoryStore;
import io.github.wschat.history.InMemoryHistoryStore;
import io.github.wschat.history.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The writer's barrier for readers: a page read after {@link HistoryWriter#flushed()} sees every event queued before it. */
@Timeout(30)
class HistoryWriterTest {

    /** A store in memory whose appends first pass {@code before} (a gate, or a failure). */
    private static class GatedStore implements HistoryStore {
        final CountDownLatch open = new CountDownLatch(1);
        final InMemoryHistoryStore kept = new InMemoryHistoryStore();

        void before() throws InterruptedException {
            open.await();
        }

        @Override
        public void append(List<PlacedEvent> events) {
            try {
                before();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            kept.append(events);
        }

        @Override
        public HistoryPage before(String room, Optional<Position> before, int limit) {
            return kept.before(room, before, limit);
        }

        @Override
        public HistoryPage after(String room, Position after, int limit) {
            return kept.after(room, after, limit);
        }

        @Override
        public long forget(String author) {
            return kept.forget(author);
        }

        @Override
        public long expire(Instant instant) {
            return kept.expire(instant);
        }
    }

    private static PlacedEvent line(long seq) {
        return new PlacedEvent("lobby", "e1", seq, 1_000 + seq, new RoomEvent.Message("ann", "line " + seq, ""));
    }

    @Test
    void withNothingQueuedTheBarrierIsPassedAtOnce() {
        try (HistoryWriter writer = new HistoryWriter(new InMemoryHistoryStore(), Duration.ZERO)) {
            assertTrue(writer.flushed().isDone());
        }
    }

    @Test
    void aBarrierCompletesOnceEverythingQueuedBeforeItIsInTheStore() throws Exception {
        InMemoryHistoryStore store = new InMemoryHistoryStore();
        try (HistoryWriter writer = new HistoryWriter(store, Duration.ZERO)) {
            for (long seq = 1; seq <= 30; seq++) {
                writer.offer(line(seq));
            }
            writer.flushed().get(10, TimeUnit.SECONDS);
            assertEquals(30, store.before("lobby", Optional.empty(), 50).events().size(), "all thirty are in the store");
        }
    }

    @Test
    void aBarrierWaitsForAStoreThatHoldsTheBatchAndIsReleasedOnClose() throws Exception {
        GatedStore store = new GatedStore();
        HistoryWriter writer = new HistoryWriter(store, Duration.ZERO);
        writer.offer(line(1));
        writer.offer(line(2));
        CompletableFuture<Void> first = writer.flushed();
        writer.offer(line(3));
        CompletableFuture<Void> second = writer.flushed();
        assertFalse(first.isDone(), "the store holds the batch: the barrier waits");
        store.open.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertEquals(3, store.before("lobby", Optional.empty(), 50).events().size());
        writer.close();
        assertTrue(writer.flushed().isDone(), "after close no reader waits");
    }

    @Test
    void aBurstThatFillsABatchIsWrittenWithoutWaitingForTheLinger() throws Exception {
        InMemoryHistoryStore store = new InMemoryHistoryStore();
        // A linger no test outlives: only the event that fills the batch can wake the writer.
        try (HistoryWriter writer = new HistoryWriter(store, Duration.ZERO, Duration.ofHours(1))) {
            for (long seq = 1; seq <= HistoryWriter.BATCH; seq++) {
                writer.offer(line(seq));
            }
            // The store holds them long before the hour is out (the test's timeout is 30 s).
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                    () -> store.before("lobby", Optional.empty(), 1).events().stream()
                            .anyMatch(newest -> newest.sequence() == HistoryWriter.BATCH));
        }
    }

    @Test
    void aStoreMayKeepTheBatchesItWasGiven() throws Exception {
        List<List<PlacedEvent>> given = new java.util.concurrent.CopyOnWriteArrayList<>();
        GatedStore keeping = new GatedStore() {
            @Override
            public void append(List<PlacedEvent> events) {
                given.add(events);
            }
        };
        try (HistoryWriter writer = new HistoryWriter(keeping, Duration.ZERO, Duration.ofMillis(1))) {
            for (long seq = 1; seq <= 2_500; seq++) {
                writer.offer(line(seq));
                if (seq % 700 == 0) {
                    writer.flushed().get(10, TimeUnit.SECONDS);
                }
            }
            writer.flushed().get(10, TimeUnit.SECONDS);
        }
        List<Long> seqs = given.stream().flatMap(List::stream).map(PlacedEvent::sequence).toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 2_500).boxed().toList(), seqs,
                "every batch kept as it was given, each event once, in order");
        assertTrue(given.size() >= 4, "several batches: " + given.size());
    }

    @Test
    void aBarrierDoesNotOutliveTheWriterWhenTheStoreNeverTakesTheEvents() throws Exception {
        GatedStore refusing = new GatedStore() {
            @Override
            void before() {
                throw new IllegalStateException("the database is down");
            }
        };
        HistoryWriter writer = new HistoryWriter(refusing, Duration.ZERO);
        writer.offer(line(1));
        CompletableFuture<Void> barrier = writer.flushed();
        assertFalse(barrier.isDone());
        writer.close();
        barrier.get(15, TimeUnit.SECONDS);
    }
}
