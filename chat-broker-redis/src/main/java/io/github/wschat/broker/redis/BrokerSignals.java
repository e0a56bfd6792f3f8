package io.github.wschat.broker.redis;

import io.github.wschat.Registration;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.RoomEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the broker tells those who listen to it: each event this node placed ({@link Broker#onPlaced}),
 * and each change of Redis' availability ({@link Broker#onAvailability}), once per change. Thread-safe.
 */
final class BrokerSignals {

    private static final Logger log = LoggerFactory.getLogger(BrokerSignals.class);

    private final List<Broker.PlacedListener> placedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Boolean>> availabilityListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean available = new AtomicBoolean(true);

    Registration onPlaced(Broker.PlacedListener listener) {
        Objects.requireNonNull(listener, "listener");
        placedListeners.add(listener);
        return () -> placedListeners.remove(listener);
    }

    /** Whether anyone listens for placed events: appends go without tickets while no one does. */
    boolean wantsPlaced() {
        return !placedListeners.isEmpty();
    }

    /** Tells every placed-listener of one event, on the caller's thread. */
    void placed(String room, String epoch, long sequence, long time, RoomEvent event) {
        for (Broker.PlacedListener listener : placedListeners) {
            listener.placed(room, epoch, sequence, time, event);
        }
    }

    Registration onAvailability(Consumer<Boolean> listener) {
        Objects.requireNonNull(listener, "listener");
        availabilityListeners.add(listener);
        return () -> availabilityListeners.remove(listener);
    }

    /** Tells the availability listeners of a change, once per change. */
    void availability(boolean now) {
        if (available.compareAndSet(!now, now)) {
            log.warn(now ? "Redis is reachable again: rooms take lines again" : "Redis is unreachable: rooms refuse lines");
            for (Consumer<Boolean> listener : availabilityListeners) {
                try {
                    listener.accept(now);
                } catch (RuntimeException e) {
                    log.warn("An availability listener threw", e);
                }
            }
        }
    }
}
