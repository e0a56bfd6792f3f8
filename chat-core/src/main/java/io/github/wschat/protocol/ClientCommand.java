package io.github.wschat.protocol;

import java.util.Objects;
import java.util.Optional;

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

    /**
     * A fresh credential (a token) before the one the connection was opened with expires.
     *
     * @param token the credential
     */
    record Refresh(String token) implements ClientCommand {
        /**
         * Checks the token is not null.
         *
         * @param token the credential
         */
        public Refresh {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Refresh[token=…]"; // never in a log
        }
    }

    /**
     * A page of the room's history before a position, to the asker alone: JSON
     * {@code {"type":"history","before":"EPOCH:SEQ","limit":50}}, plain text {@code /history} (the page
     * before the last one shown).
     *
     * @param before the position to page back from; empty for the newest events (JSON), or the page
     *     before the one shown last (plain text)
     * @param limit how many events at most; the server cuts it to {@link io.github.wschat.history.HistoryStore#MAX_PAGE}
     */
    record History(Optional<io.github.wschat.history.Position> before, int limit) implements ClientCommand {
        /** The page size when a command gives none. */
        public static final int DEFAULT_LIMIT = 50;

        /**
         * Checks the parts.
         *
         * @param before the position, or empty
         * @param limit how many, at least 1
         */
        public History {
            Objects.requireNonNull(before, "before");
            if (limit < 1) {
                throw new IllegalArgumentException("a page holds at least one event: " + limit);
            }
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
     * A command the client gave an id: the server answers it with an acknowledgement naming where
     * its line took its place ({@link WireFormat#ack}), or an error carrying the id, and a line whose
     * id the sender already had placed is not placed again (docs/PROTOCOL.md). Ids are the sender's:
     * two senders' equal ids do not meet.
     *
     * @param id 1 to 64 of {@code A-Z a-z 0-9 . _ : -}
     * @param command the command; neither an {@code Identified} nor an {@link Invalid}
     */
    record Identified(String id, ClientCommand command) implements ClientCommand {
        /** What an id may be made of, for messages. */
        public static final String RULE = "1 to 64 of A-Z a-z 0-9 . _ : -";

        /**
         * @param id 1 to 64 of {@code A-Z a-z 0-9 . _ : -}
         * @param command the command; neither an {@code Identified} nor an {@link Invalid}
         * @throws IllegalArgumentException if the id breaks the rule or the command cannot carry one
         */
        public Identified {
            if (!isValidId(id)) {
                throw new IllegalArgumentException("an id is " + RULE + ": " + id);
            }
            Objects.requireNonNull(command, "command");
            if (command instanceof Identified || command instanceof Invalid) {
                throw new IllegalArgumentException("cannot carry an id: " + command);
            }
        }

        /**
         * @param id a candidate id, may be null
         * @return whether it is 1 to 64 of {@code A-Z a-z 0-9 . _ : -}
         */
        public static boolean isValidId(String id) {
            if (id == null || id.isEmpty() || id.length() > 64) {
                return false;
            }
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '_' || c == ':' || c == '-';
                if (!ok) {
                    return false;
                }
            }
            return true;
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
