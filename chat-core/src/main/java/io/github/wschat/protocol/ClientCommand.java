package io.github.wschat.protocol;

import java.util.Objects;

/** What a client asked for in one frame, as a {@link WireFormat} read it. Immutable values. */
public sealed interface ClientCommand {

    /**
     * Say a line (or several, if it has line breaks) to the room.
     *
     * @param text what was typed
     */
    record Say(String text) implements ClientCommand {
        /**
         * Checks the text is not null.
         *
         * @param text what was typed
         */
        public Say {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An action, IRC's {@code /me waves}.
     *
     * @param text the action
     */
    record Me(String text) implements ClientCommand {
        /**
         * Checks the text is not null.
         *
         * @param text the action
         */
        public Me {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Change the nickname.
     *
     * @param name the nickname wanted
     */
    record Nick(String name) implements ClientCommand {
        /**
         * Checks the name is not null.
         *
         * @param name the nickname wanted
         */
        public Nick {
            Objects.requireNonNull(name, "name");
        }
    }

    /** List the members of the room, to the asker alone. */
    record Who() implements ClientCommand {
    }

    /**
     * A private message to one member of the room.
     *
     * @param to the recipient's nickname
     * @param text the message
     */
    record Msg(String to, String text) implements ClientCommand {
        /**
         * Checks the parts are not null.
         *
         * @param to the recipient's nickname
         * @param text the message
         */
        public Msg {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An operator's moderation of a member of the room: {@code /kick NICK REASON},
     * {@code /mute NICK DURATION [REASON]}, {@code /unmute NICK}, {@code /ban NICK DURATION [REASON]}.
     * Only members whose identity has the server's operator role may; others get
     * {@link ChatError#NOT_ALLOWED}.
     *
     * @param action what to do
     * @param nick whom to do it to
     * @param duration how long, for a mute or a ban; zero for a kick or an unmute
     * @param reason why, shown to the room; may be empty
     */
    record Moderate(Action action, String nick, java.time.Duration duration, String reason) implements ClientCommand {
        /**
         * Checks the parts.
         *
         * @param action what to do
         * @param nick whom
         * @param duration how long, positive for a mute or a ban
         * @param reason why
         * @throws IllegalArgumentException if a mute or a ban has no positive duration
         */
        public Moderate {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(reason, "reason");
            boolean timed = action == Action.MUTE || action == Action.BAN;
            if (timed == (duration.isZero() || duration.isNegative())) {
                throw new IllegalArgumentException("a mute or a ban, and only they, last a positive time: " + duration);
            }
        }

        /** What an operator does to a member. */
        public enum Action {
            /** Remove from the room (close 4001). */
            KICK,
            /** Refuse its lines for a while. */
            MUTE,
            /** Lift a mute. */
            UNMUTE,
            /** Remove and refuse its identity for a while (close 4003, then 403). */
            BAN
        }
    }

    /**
     * A frame that is no command: the client gets this error, and nothing else happens.
     *
     * @param error the kind of error
     * @param text what to tell the client
     */
    record Invalid(ChatError error, String text) implements ClientCommand {
        /**
         * Checks the parts are not null.
         *
         * @param error the kind of error
         * @param text what to tell the client
         */
        public Invalid {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(text, "text");
        }
    }
}
