package io.github.wschat.app;

/**
 * Receives every event placed in every room — messages, actions, private lines, joins, leaves,
 * renames, notices, removals, mutes — after it took its place: to save every line in the
 * application's database, to index it, to feed a bot elsewhere.
 *
 * <p>Threads and order: called on one thread of the server's own, one event at a time, in the order
 * the events were placed (per room: by sequence); never on a transport's thread, so a slow listener
 * delays no member. Up to 65,536 events wait for a slow listener; past that, events are skipped for it
 * (logged, and counted in {@code wschat.listener.skipped}), and the positions it receives show the
 * gap. A listener that throws is logged; the next event is delivered all the same.
 *
 * <p>Every event carries its position ({@link PlacedEvent#epoch()}, {@link PlacedEvent#sequence()}):
 * save it with the event, and after a restart compare it with the room's history to catch up.
 *
 * <p>On one node each event is delivered once. A server on a shared broker (several nodes) does not
 * yet take listeners: delivering each event once per cluster, whichever node reads it, is the next
 * step, and {@code start()} refuses a listener there rather than deliver it once per node.
 */
@FunctionalInterface
public interface ChatListener {

    /**
     * An event took its place.
     *
     * @param event the event and its position
     */
    void onEvent(PlacedEvent event);
}
