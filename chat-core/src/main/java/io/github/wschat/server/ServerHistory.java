package io.github.wschat.server;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.history.HistoryPage;
import io.github.wschat.history.HistoryStore;
import io.github.wschat.history.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A server's history beyond its rooms' memory: the store, the writer that fills it, and a thread for
 * members' pages, so that a query never runs on a transport's thread; a page is read once the writer
 * has written what the rooms delivered before it was asked. Without a store, pages come
 * from the room's memory on this node. Thread-safe.
 */
final class ServerHistory implements AutoCloseable {

    /** How long a page waits at most for the writer to write what it holds. */
    private static final long FLUSH_WAIT_MILLIS = 2_000;

    private final HistoryStore store;
    private final HistoryWriter writer;
    private final java.util.Map<String, HistoryWriter> sinks;
    private final ExecutorService reads;

    /** @param store the store; null for memory only */
    ServerHistory(HistoryStore store, Duration retention) {
        this(store, retention, java.util.Map.of());
    }

    /**
     * @param store the store; null for memory only
     * @param sinks the event sinks, by name, each with a writer of its own
     */
    ServerHistory(HistoryStore store, Duration retention, java.util.Map<String, io.github.wschat.app.EventSink> sinks) {
        this.store = store;
        this.writer = store == null ? null : new HistoryWriter(store, retention);
        java.util.Map<String, HistoryWriter> made = new java.util.TreeMap<>();
        sinks.forEach((name, sink) -> made.put(name, new HistoryWriter(name, sink)));
        this.sinks = java.util.Collections.unmodifiableMap(made);
        this.reads = store == null ? null : Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "wschat-history-reads");
            thread.setDaemon(true);
            return thread;
        });
    }

    Optional<HistoryWriter> writer() {
        return Optional.ofNullable(writer);
    }

    /** The event sinks' writers, by name. */
    java.util.Map<String, HistoryWriter> sinks() {
        return sinks;
    }

    /** Where a room hands each public event it delivers: the store's writer and every sink's; empty for nowhere. */
    Optional<java.util.function.Consumer<PlacedEvent>> feed() {
        List<HistoryWriter> all = new ArrayList<>(sinks.values());
        if (writer != null) {
            all.add(0, writer);
        }
        if (all.isEmpty()) {
            return Optional.empty();
        }
        if (all.size() == 1) {
            HistoryWriter one = all.get(0);
            return Optional.of(one::offer);
        }
        HistoryWriter[] each = all.toArray(new HistoryWriter[0]);
        return Optional.of(event -> {
            for (HistoryWriter w : each) {
                w.offer(event);
            }
        });
    }

    Optional<HistoryStore> store() {
        return Optional.ofNullable(store);
    }

    /** A page of the room's history before a position (the newest without one), oldest first. */
    CompletionStage<HistoryPage> before(Rooms rooms, String room, Optional<Position> before, int limit) {
        int cap = Math.max(1, Math.min(limit, HistoryStore.MAX_PAGE));
        if (store == null) {
            return CompletableFuture.completedStage(rooms.find(room).map(r -> memoryBefore(r.history(), before, cap))
                    .orElse(HistoryPage.EMPTY));
        }
        // What the rooms delivered but the writer still holds is written first (it would be a gap
        // before the lines a member saw live); a store that does not take it within the bound is read as
        // it is.
        return writer.flushed().completeOnTimeout(null, FLUSH_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                .thenApplyAsync(flushed -> store.before(room, before, cap), reads);
    }

    /** The page of a room's memory before a position: the events of its epoch, which is all it holds. */
    static HistoryPage memoryBefore(List<PlacedEvent> held, Optional<Position> before, int limit) {
        List<PlacedEvent> older = new ArrayList<>(held.size());
        for (PlacedEvent event : held) {
            if (before.isEmpty() || (event.epoch().equals(before.get().epoch()) && event.sequence() < before.get().sequence())) {
                older.add(event);
            }
        }
        int from = Math.max(0, older.size() - limit);
        return new HistoryPage(older.subList(from, older.size()), from > 0);
    }

    /** Erases the author's lines in the store and in every room's memory here; how many the store erased. */
    long forget(Rooms rooms, String author) {
        rooms.forEachRoom(room -> room.forget(author));
        return store == null ? 0 : store.forget(author);
    }

    Duration lag() {
        return writer == null ? Duration.ZERO : writer.lag();
    }

    boolean healthy() {
        return writer == null || writer.healthy();
    }

    @Override
    public void close() {
        sinks.values().forEach(HistoryWriter::close);
        if (writer != null) {
            writer.close();
            reads.shutdownNow();
        }
    }
}
