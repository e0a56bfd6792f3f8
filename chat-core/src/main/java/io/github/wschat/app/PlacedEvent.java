package io.github.wschat.app;

import io.github.wschat.broker.RoomEvent;
import java.util.Objects;

/**
 * An event that took its place in a room's order: where (room, epoch, sequence), when, and what.
 * {@code (epoch, sequence)} is the event's position: a client or an application resumes after it.
 * Immutable.
 *
 * @param room the room's name
 * @param epoch the room's epoch (its numbering restarts when the broker lost the room's events)
 * @param sequence the event's position in the room's order, within the epoch, from 1
 * @param time when it took its place, in milliseconds since the epoch; the same on every node
 * @param event what happened: a message, an action, a join, a leave, a rename, a private line, a notice,
 *     a removal or a mute
 */
public record PlacedEvent(String room, String epoch, long sequence, long time, RoomEvent event) {

    /**
     * Checks the parts are not null.
     *
     * @param room the room's name
     * @param epoch the room's epoch
     * @param sequence the event's position
     * @param time when it took its place
     * @param event what happened
     */
    public PlacedEvent {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(event, "event");
    }
}
