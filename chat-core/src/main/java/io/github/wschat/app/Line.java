package io.github.wschat.app;

import java.util.Objects;
import java.util.Optional;

/**
 * A line a member wants placed in the room, as a {@link LineFilter} sees it: one line of text (a
 * message with line breaks is filtered line by line), free of control characters. Immutable.
 *
 * @param kind what the member does
 * @param text the line; for a {@link Kind#RENAME}, the new nickname
 * @param to the recipient of a {@link Kind#PRIVATE} line; empty otherwise
 */
public record Line(Kind kind, String text, Optional<String> to) {

    /**
     * Checks the parts.
     *
     * @param kind what the member does
     * @param text the line
     * @param to the recipient of a private line
     * @throws IllegalArgumentException if a private line has no recipient or another kind has one
     */
    public Line {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(to, "to");
        if (to.isPresent() != (kind == Kind.PRIVATE)) {
            throw new IllegalArgumentException("a private line, and only one, has a recipient");
        }
    }

    /**
     * @param text the new text
     * @return this line with another text
     */
    public Line withText(String text) {
        return new Line(kind, text, to);
    }

    /** What a member does with a line. */
    public enum Kind {
        /** Says it to the room: {@code nick: text}. */
        MESSAGE,
        /** An action, {@code /me waves}. */
        ACTION,
        /** A private line to one member, {@code /msg bob hi}. */
        PRIVATE,
        /** A new nickname, {@code /nick ann}; the text is the name. */
        RENAME
    }
}
