package io.github.wschat.app;

/**
 * Receives every event placed in every room — messages, actions, private lines, joins, leaves,
 * renames, notices, removals, mutes — after it took its place: to save every line in the
 * application's database, to index it, to feed a bot elsewhere.
 *
 * <p>Threads and order: called on one thread of the server's own, one event at a time, in the order
 * this node placed the events (per room: by sequence); never on a transport's thread, so a slow
 * listener delays no member. Up to 65,536 events wait for a slow listener; past that, events are skipped for it
 * (logged, and counted in {@code wschat.listener.skipped}), and the positions it receives show the
 * gap. A listener that throws is logged; the next event is delivered all the same.
 *
 * <p>Every event carries its position ({@link PlacedEvent#epoch()}, {@link PlacedEvent#sequence()}):
 * save it with the event, and after a restart compare it with the room's history to catch up.
 *
 * <p>Once per cluster: a listener hears the events its own node placed — its members' lines, joins and
 * leaves, its bots', its handles' notices and moderation steps, and the leaves it announced for a dead
 * node's members — once the broker has them in the room's order. With a listener on every node, each
 * event is heard exactly once between them, whichever nodes read it. A node that dies after its event
 * was placed and before its listener ran takes that call with it; an event whose placement was never
 * confirmed (the broker's answer was lost) is not heard. The application fills such gaps from the
 * positions: events are numbered without gaps per room and epoch.
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
