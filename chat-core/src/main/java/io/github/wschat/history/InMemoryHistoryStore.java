package io.github.wschat.history;

import io.github.wschat.app.PlacedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link HistoryStore} in this process's memory, for tests and for a single node that keeps history
 * only while it runs. Everything is kept until {@link #forget}, {@link #expire} or the process ends.
 * Thread-safe (one lock).
 */
public final class InMemoryHistoryStore implements HistoryStore {

    /** One room: its epochs, ordered by the time of their first event, each its events by sequence. */
    private static final class RoomLog {
        final Map<String, TreeMap<Long, PlacedEvent>> epochs = new HashMap<>();
        final Map<String, Long> firstTime = new HashMap<>();

        List<String> ordered() {
            List<String> names = new ArrayList<>(epochs.keySet());
            names.sort(Comparator.comparingLong((String e) -> firstTime.get(e)).thenComparing(e -> e));
            return names;
        }
    }

    private final Map<String, RoomLog> rooms = new HashMap<>();

    @Override
    public synchronized void append(List<PlacedEvent> events) {
        for (PlacedEvent event : events) {
            if (!event.event().isPublic()) {
                continue;
            }
            RoomLog log = rooms.computeIfAbsent(event.room(), r -> new RoomLog());
            log.epochs.computeIfAbsent(event.epoch(), e -> new TreeMap<>()).putIfAbsent(event.sequence(), event);
            log.firstTime.merge(event.epoch(), event.time(), Math::min);
        }
    }

    @Override
    public synchronized HistoryPage before(String room, Optional<Position> before, int limit) {
        int cap = Math.max(1, Math.min(limit, MAX_PAGE));
        RoomLog log = rooms.get(Objects.requireNonNull(room, "room"));
        if (log == null) {
            return HistoryPage.EMPTY;
        }
        List<String> epochs = log.ordered();
        int from = epochs.size() - 1;
        long below = Long.MAX_VALUE;
        if (before.isPresent()) {
            from = epochs.indexOf(before.get().epoch());
            if (from < 0) {
                return HistoryPage.EMPTY;
            }
            below = before.get().sequence();
        }
        List<PlacedEvent> newestFirst = new ArrayList<>(cap);
        boolean more = false;
        for (int e = from; e >= 0 && !more; e--) {
            TreeMap<Long, PlacedEvent> events = log.epochs.get(epochs.get(e));
            for (PlacedEvent event : (e == from ? events.headMap(below, false) : events).descendingMap().values()) {
                if (newestFirst.size() == cap) {
                    more = true;
                    break;
                }
                newestFirst.add(event);
            }
        }
        List<PlacedEvent> page = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            page.add(newestFirst.get(i));
        }
        return new HistoryPage(page, more);
    }

    @Override
    public synchronized HistoryPage after(String room, Position after, int limit) {
        int cap = Math.max(1, Math.min(limit, MAX_PAGE));
        RoomLog log = rooms.get(Objects.requireNonNull(room, "room"));
        if (log == null) {
            return HistoryPage.EMPTY;
        }
        List<String> epochs = log.ordered();
        int from = epochs.indexOf(after.epoch());
        if (from < 0) {
            return HistoryPage.EMPTY;
        }
        List<PlacedEvent> page = new ArrayList<>(cap);
        for (int e = from; e < epochs.size(); e++) {
            TreeMap<Long, PlacedEvent> events = log.epochs.get(epochs.get(e));
            for (PlacedEvent event : (e == from ? events.tailMap(after.sequence(), false) : events).values()) {
                if (page.size() == cap) {
                    return new HistoryPage(page, true);
                }
                page.add(event);
            }
        }
        return new HistoryPage(page, false);
    }

    @Override
    public synchronized long forget(String author) {
        Objects.requireNonNull(author, "author");
        if (author.isEmpty()) {
            return 0;
        }
        long erased = 0;
        for (RoomLog log : rooms.values()) {
            for (TreeMap<Long, PlacedEvent> events : log.epochs.values()) {
                var lines = events.values().iterator();
                while (lines.hasNext()) {
                    if (author.equals(lines.next().event().author())) {
                        lines.remove();
                        erased++;
                    }
                }
            }
        }
        return erased;
    }

    @Override
    public synchronized long expire(Instant instant) {
        long cut = instant.toEpochMilli();
        long deleted = 0;
        for (RoomLog log : rooms.values()) {
            for (TreeMap<Long, PlacedEvent> events : log.epochs.values()) {
                var all = events.values().iterator();
                while (all.hasNext()) {
                    if (all.next().time() < cut) {
                        all.remove();
                        deleted++;
                    }
                }
            }
            log.epochs.values().removeIf(TreeMap::isEmpty);
            log.firstTime.keySet().retainAll(log.epochs.keySet());
        }
        rooms.values().removeIf(log -> log.epochs.isEmpty());
        return deleted;
    }
}
