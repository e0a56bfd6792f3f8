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
     * Who wrote this event, for forgetting a person's lines: the identity's id of a line's sender
     * ({@link Message#author()}, {@link Action#author()}); empty for every other event and for anonymous
     * senders. Never shown to members.
     *
     * @return the author's identity id, or empty
     */
    default String author() {
        return "";
    }

    /**
     * A member said something.
     *
     * @param nick the sender's nickname
     * @param text the line
     * @param author the id of the sender's identity, kept with the line so that a history store can
     *     forget it ({@code HistoryStore.forget}); empty for an anonymous sender. Never shown to members.
     */
    record Message(String nick, String text, String author) implements RoomEvent {
        /**
         * Checks the parts are not null.
         *
         * @param nick the sender's nickname
         * @param text the line
         * @param author the sender's identity's id, or empty
         */
        public Message {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(author, "author");
        }

        /**
         * A line of an anonymous sender, or one whose author is not kept.
         *
         * @param nick the sender's nickname
         * @param text the line
         */
        public Message(String nick, String text) {
            this(nick, text, "");
        }
    }

    /**
     * A member did something, IRC's {@code /me}.
     *
     * @param nick the actor's nickname
     * @param text what the actor does, e.g. {@code waves}
     * @param author the id of the actor's identity, as {@link Message#author()}; empty if anonymous
     */
    record Action(String nick, String text, String author) implements RoomEvent {
        /**
         * Checks the parts are not null.
         *
         * @param nick the actor's nickname
         * @param text what the actor does, e.g. {@code waves}
         * @param author the actor's identity's id, or empty
         */
        public Action {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(author, "author");
        }

        /**
         * An action of an anonymous actor, or one whose author is not kept.
         *
         * @param nick the actor's nickname
         * @param text what the actor does
         */
        public Action(String nick, String text) {
            this(nick, text, "");
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

    /**
     * A line from the application itself, not from a member: a welcome, an announcement.
     *
     * @param text the line
     */
    record Notice(String text) implements RoomEvent {
        /**
         * Checks the text is not null.
         *
         * @param text the line
         */
        public Notice {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A moderator removed a member: after this event, the node that holds the member closes it with
     * {@link io.github.wschat.CloseCodes#REMOVED 4001} and the reason (then its leave follows). When
     * {@code banned} is positive the member's identity (or, if anonymous, its address) is banned for
     * that many milliseconds from the event's time, on every node, and the close is
     * {@link io.github.wschat.CloseCodes#BANNED 4003}; with {@code address}, the member's address is
     * banned too, for everyone who connects from it.
     *
     * @param nick the member's nickname
     * @param reason why
     * @param banned how long the member is banned, in milliseconds; 0 for a kick alone
     * @param address whether the ban covers the member's address as well, for everyone from it
     */
    record Removed(String nick, String reason, long banned, boolean address) implements RoomEvent {
        /**
         * Checks the parts.
         *
         * @param nick the member's nickname
         * @param reason why
         * @param banned how long the member is banned, in milliseconds; 0 for a kick alone
         * @param address whether the ban covers the member's address as well
         * @throws IllegalArgumentException if the ban is negative, or covers an address without a time
         */
        public Removed {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(reason, "reason");
            if (banned < 0 || (address && banned == 0)) {
                throw new IllegalArgumentException("banned is 0 or more, and positive for an address: " + banned);
            }
        }

        /**
         * A kick ({@code banned} 0) or a ban of the identity alone.
         *
         * @param nick the member's nickname
         * @param reason why
         * @param banned how long the member is banned, in milliseconds; 0 for a kick alone
         */
        public Removed(String nick, String reason, long banned) {
            this(nick, reason, banned, false);
        }
    }

    /**
     * A moderator muted a member: its lines are refused until the event's time plus {@code millis},
     * and it still reads the room. A mute of 0 lifts an earlier one.
     *
     * @param nick the member's nickname
     * @param millis how long, in milliseconds; 0 to lift the mute
     * @param reason why
     */
    record Muted(String nick, long millis, String reason) implements RoomEvent {
        /**
         * Checks the parts.
         *
         * @param nick the member's nickname
         * @param millis how long, 0 or more
         * @param reason why
         */
        public Muted {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(reason, "reason");
            if (millis < 0) {
                throw new IllegalArgumentException("millis is 0 or more: " + millis);
            }
        }
    }
}
