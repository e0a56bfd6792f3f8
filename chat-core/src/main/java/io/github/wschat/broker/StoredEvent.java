package io.github.wschat.broker;

import java.util.Objects;

/**
 * An event a broker holds, with its place in the room's order: see {@link Broker#recent}. Immutable.
 *
 * @param sequence the event's position in the room's order
 * @param time when it took its place, in milliseconds since the epoch
 * @param event the event
 */
public record StoredEvent(long sequence, long time, RoomEvent event) {

    /**
     * Checks the event is not null.
     *
     * @param sequence the event's position
     * @param time when it took its place
     * @param event the event
     */
    public StoredEvent {
        Objects.requireNonNull(event, "event");
    }
}
