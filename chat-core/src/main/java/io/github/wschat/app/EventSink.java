package io.github.wschat.app;

import java.util.List;

/**
 * Where the public events this node delivers go, in batches, besides its members: a webhook, a queue,
 * a search index. Unlike a {@link ChatListener} (each event heard once per cluster, by the node that
 * placed it), a sink is given every public event of every room this node has members in, as the node
 * delivers it — so an event outlives the death of the node that placed it wherever another node
 * delivered it; with several nodes an event comes from each of them: deduplicate by its position
 * (room, epoch, sequence), which never changes.
 *
 * <p>Threads and order: each sink has a thread of its own (never a transport's), and is given one
 * batch at a time — up to 1,000 events, or what came within 250 ms of the first — in the order the
 * node delivered them (per room: by sequence). A batch that throws is given again, whole, after a
 * pause growing to 5 s, until it is taken: later events wait behind it, so the order holds and nothing
 * is skipped; the chat does not wait. Past 1,048,576 waiting events, new ones are dropped for the sink
 * (logged, counted in {@code wschat.sink.dropped}). What a dying node had queued is lost with it,
 * unless another node delivered the same events. Private lines are never given.
 */
@FunctionalInterface
public interface EventSink {

    /**
     * Takes a batch of events; throws to have it given again.
     *
     * @param batch one or more events, in delivery order
     * @throws Exception if the batch was not taken (it comes again)
     */
    void accept(List<PlacedEvent> batch) throws Exception;
}
