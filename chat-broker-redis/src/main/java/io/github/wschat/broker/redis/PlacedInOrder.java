package io.github.wschat.broker.redis;

import io.github.wschat.broker.Broker;
import io.github.wschat.broker.RoomEvent;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the events this node appended in the order it sent the appends. Redis answers them in that
 * order, but a publisher may attach to an answer that already came and run it on its own thread, out of
 * turn; so each append takes a ticket as it is sent ({@link #send}), and answers are told by ticket,
 * the ones that came early held back until those before them came. Thread-safe.
 */
final class PlacedInOrder {

    private static final Logger log = LoggerFactory.getLogger(PlacedInOrder.class);

    private final Broker.PlacedListener placed;
    private final Object sending = new Object();
    private long nextTicket;
    // Under its own lock: the answers that came before their turn, and the ticket whose turn it is.
    private final Map<Long, Runnable> early = new HashMap<>();
    private long turn;

    PlacedInOrder(Broker.PlacedListener placed) {
        this.placed = placed;
    }

    /** Runs {@code send} (which must send one append, without waiting) under the next ticket, which it returns. */
    long send(Runnable send) {
        synchronized (sending) {
            send.run();
            return nextTicket++;
        }
    }

    /** The answer to the append under {@code ticket}: the event took its place, or (null event) it did not. */
    void answered(long ticket, String room, String epoch, long sequence, long time, RoomEvent event) {
        Runnable tell = event == null ? () -> { } : () -> {
            try {
                placed.placed(room, epoch, sequence, time, event);
            } catch (RuntimeException e) {
                log.warn("A placed-listener threw on event {} of room {}", sequence, room, e);
            }
        };
        synchronized (early) {
            early.put(ticket, tell);
            Runnable next;
            while ((next = early.remove(turn)) != null) {
                turn++;
                next.run();
            }
        }
    }
}
