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
