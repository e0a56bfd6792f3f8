package io.github.wschat.broker;

import java.util.Objects;

/**
 * Something that happened in a room, as it travels through a {@link Broker}. Immutable values; the
 * wire formats turn them into frames.
 */
public sealed interface RoomEvent {

    /**
     * A member said something.
     *
     * @param nick the sender's nickname
     * @param text the line, free of line breaks and control characters
     */
    record Message(String nick, String text) implements RoomEvent {
        /** Checks the parts are not null. */
        public Message {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A member left the room.
     *
     * @param nick the leaver's nickname
     */
    record Left(String nick) implements RoomEvent {
        /** Checks the nickname is not null. */
        public Left {
            Objects.requireNonNull(nick, "nick");
        }
    }
}
