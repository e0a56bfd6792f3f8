package io.github.wschat.protocol;

import io.github.wschat.broker.RoomEvent;
import java.util.Objects;

/**
 * A room event with its place in the room's order, as history keeps it.
 *
 * @param sequence the event's position in the room's order
 * @param time when it took that place, in milliseconds since the epoch
 * @param event the event
 */
public record Sequenced(long sequence, long time, RoomEvent event) {
    /**
     * Checks the event is not null.
     *
     * @param sequence the event's position in the room's order
     * @param time when it took that place, in milliseconds since the epoch
     * @param event the event
     */
    public Sequenced {
        Objects.requireNonNull(event, "event");
    }
}
