package io.github.wschat.history;

import io.github.wschat.app.PlacedEvent;
import java.util.List;

/**
 * A page of a room's history: public events, oldest first, and whether there are more beyond it (older
 * ones, for a page before a position; newer ones, for a page after one). A page may span an epoch
 * change: each event says its epoch. Immutable.
 *
 * @param events the events, oldest first
 * @param more whether the store holds more in the direction paged
 */
public record HistoryPage(List<PlacedEvent> events, boolean more) {

    /** A page with nothing, and nothing more. */
    public static final HistoryPage EMPTY = new HistoryPage(List.of(), false);

    /**
     * Copies the events.
     *
     * @param events the events, oldest first
     * @param more whether there are more
     */
    public HistoryPage {
        events = List.copyOf(events);
    }
}
