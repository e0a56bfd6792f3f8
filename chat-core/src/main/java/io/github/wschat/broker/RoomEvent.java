package io.github.wschat.broker;

import java.util.Objects;

/**
 * Something that happened in a room, as it travels through a {@link Broker}. Immutable values; the
 * wire formats turn them into frames. Texts are single lines, free of control characters; nicknames
 * follow the server's nickname rules.
 */
public sealed interface RoomEvent {

    /**
     * Whether every member of the room sees this event (and it joins the room's history), rather
     * than only the members it names.
     *
     * @return true for everything but {@link Private}
     */
    default boolean isPublic() {
        return true;
    }

    /**
     * A member said something.
     *
     * @param nick the sender's nickname
     * @param text the line
     */
    record Message(String nick, String text) implements RoomEvent {
        /**
         * Checks the parts are not null.
         *
         * @param nick the sender's nickname
         * @param text the line
         */
        public Message {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A member did something, IRC's {@code /me}.
     *
     * @param nick the actor's nickname
     * @param text what the actor does, e.g. {@code waves}
     */
    record Action(String nick, String text) implements RoomEvent {
        /**
         * Checks the parts are not null.
         *
         * @param nick the actor's nickname
         * @param text what the actor does, e.g. {@code waves}
         */
        public Action {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A member joined the room.
     *
     * @param nick the joiner's nickname
     */
    record Joined(String nick) implements RoomEvent {
        /**
         * Checks the nickname is not null.
         *
         * @param nick the joiner's nickname
         */
        public Joined {
            Objects.requireNonNull(nick, "nick");
        }
    }

    /**
     * A member left the room.
     *
     * @param nick the leaver's nickname
     */
    record Left(String nick) implements RoomEvent {
        /**
         * Checks the nickname is not null.
         *
         * @param nick the leaver's nickname
         */
        public Left {
            Objects.requireNonNull(nick, "nick");
        }
    }

    /**
     * A member changed its nickname.
     *
     * @param from the old nickname
     * @param to the new nickname
     */
    record Renamed(String from, String to) implements RoomEvent {
        /**
         * Checks the nicknames are not null.
         *
         * @param from the old nickname
         * @param to the new nickname
         */
        public Renamed {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * A private message from one member to another: only those two see it, and it is not kept in
     * the room's history. It travels in the room's order all the same.
     *
     * @param from the sender's nickname
     * @param to the recipient's nickname
     * @param text the line
     */
    record Private(String from, String to, String text) implements RoomEvent {
        /**
         * Checks the parts are not null.
         *
         * @param from the sender's nickname
         * @param to the recipient's nickname
         * @param text the line
         */
        public Private {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public boolean isPublic() {
            return false;
        }
    }
}
