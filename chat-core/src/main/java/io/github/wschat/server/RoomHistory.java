package io.github.wschat.server;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.protocol.Sequenced;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A room's recent public events on this node, of one epoch, held to its {@link HistoryBudget}, and
 * the newest sequence number the room delivered. Not thread-safe: used under its room's lock.
 */
final class RoomHistory {

    private final HistoryBudget budget;
    private final ArrayDeque<Sequenced> events = new ArrayDeque<>();
    /** The bytes the events hold ({@link HistoryBudget#sizeOf}). */
    private long bytes;
    /** The epoch of the events; empty before the first. */
    private String epoch = "";
    private long lastSequence;

    RoomHistory(HistoryBudget budget) {
        this.budget = budget;
    }

    /** The epoch of the events kept; empty before the first event. */
    String epoch() {
        return epoch;
    }

    /**
     * The room delivered event {@code sequence} of {@code epoch}: a new epoch means the broker lost the
     * earlier events (a store restarted empty), and numbering starts again.
     */
    void delivered(String epoch, long sequence) {
        if (!epoch.equals(this.epoch)) {
            forget();
            this.epoch = epoch;
        }
        lastSequence = sequence;
    }

    /**
     * Keeps a public event, then lets go of the oldest while the room keeps more lines or bytes than
     * its budget, or the rooms together more bytes than theirs.
     */
    void keep(Sequenced entry) {
        if (budget.lines() == 0) {
            return;
        }
        events.addLast(entry);
        long size = HistoryBudget.sizeOf(entry.event());
        bytes += size;
        budget.add(size);
        while (!events.isEmpty() && (events.size() > budget.lines() || bytes > budget.roomBytes() || budget.overTotal())) {
            long dropped = HistoryBudget.sizeOf(events.removeFirst().event());
            bytes -= dropped;
            budget.add(-dropped);
        }
    }

    /** The events are gone (a new epoch, or the room closed). */
    void forget() {
        events.clear();
        budget.add(-bytes);
        bytes = 0;
    }

    /** Lets go of the lines of this author (an identity's id, not empty). */
    void forget(String author) {
        if (author.isEmpty()) {
            return;
        }
        var kept = events.iterator();
        while (kept.hasNext()) {
            var event = kept.next().event();
            if (author.equals(event.author())) {
                long size = HistoryBudget.sizeOf(event);
                bytes -= size;
                budget.add(-size);
                kept.remove();
            }
        }
    }

    /** The newest sequence number the room delivered (in {@link #epoch()}). */
    long lastSequence() {
        return lastSequence;
    }

    /** Every event kept, oldest first. */
    List<Sequenced> all() {
        return events.isEmpty() ? List.of() : List.copyOf(events);
    }

    /**
     * The events after {@code seen}, oldest first; empty if the history no longer reaches back to the
     * event right after it (the joiner missed some).
     */
    Optional<List<Sequenced>> after(long seen) {
        if (seen < lastSequence && (events.isEmpty() || events.peekFirst().sequence() > seen + 1)) {
            return Optional.empty();
        }
        return Optional.of(events.stream().filter(e -> e.sequence() > seen).toList());
    }

    /** The events kept as placed events of {@code room}, oldest first. */
    List<PlacedEvent> placed(String room) {
        List<PlacedEvent> past = new ArrayList<>(events.size());
        for (Sequenced event : events) {
            past.add(new PlacedEvent(room, epoch, event.sequence(), event.time(), event.event()));
        }
        return past;
    }
}
