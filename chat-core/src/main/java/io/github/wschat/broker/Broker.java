package io.github.wschat.broker;

import io.github.wschat.Registration;

/**
 * Orders and distributes the events of rooms. The broker is the one place that decides a room's
 * order: every subscriber of a room receives the room's events in the same order, numbered by a
 * sequence that increases by one per event and stamped with the time the event took its place, and
 * events published by one thread are delivered in the
 * order that thread published them.
 *
 * <p>Implementations are thread-safe. Listeners are called one event at a time per room and must
 * not block; an exception from a listener is logged and does not stop delivery to the others.
 */
public interface Broker extends AutoCloseable {

    /**
     * Subscribes to a room's events from now on.
     *
     * @param room the room name
     * @param listener receives the events
     * @return a registration that unsubscribes
     */
    Registration subscribe(String room, Listener listener);

    /**
     * Publishes an event to every subscriber of the room. Returns after the event has its place in
     * the room's order; with the in-process broker, after every subscriber received it.
     *
     * @param room the room name
     * @param event the event
     */
    void publish(String room, RoomEvent event);

    /** Releases the broker's resources; subscriptions end. */
    @Override
    void close();

    /** Receives a room's events. */
    @FunctionalInterface
    interface Listener {
        /**
         * An event of the room, in the room's order.
         *
         * @param sequence the event's position in the room's order, starting at 1
         * @param time when the broker put the event in the room's order, in milliseconds since the
         *     epoch; the same for every subscriber
         * @param event the event
         */
        void onEvent(long sequence, long time, RoomEvent event);
    }
}
