package io.github.wschat.app;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link LineFilter} decided about a line: accept it as it is, accept it with a new text, or
 * refuse it with a reason only its sender is told. Immutable.
 *
 * @param accepted whether the line is placed
 * @param text the text to place instead; empty to keep the line's own
 * @param reason why it was refused; empty when accepted
 */
public record LineVerdict(boolean accepted, Optional<String> text, String reason) {

    private static final LineVerdict ACCEPT = new LineVerdict(true, Optional.empty(), "");

    /**
     * Checks the parts agree.
     *
     * @param accepted whether the line is placed
     * @param text the text to place instead
     * @param reason why it was refused
     * @throws IllegalArgumentException if a refusal has a text or no reason, or an acceptance a reason
     */
    public LineVerdict {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(reason, "reason");
        if (accepted ? !reason.isEmpty() : text.isPresent() || reason.isBlank()) {
            throw new IllegalArgumentException("an acceptance has no reason; a refusal has a reason and no text");
        }
    }

    /**
     * @return the verdict that places the line as it is
     */
    public static LineVerdict accept() {
        return ACCEPT;
    }

    /**
     * Places the line with another text. Its control characters are removed and its line breaks
     * become spaces; an empty text refuses the line.
     *
     * @param text what to place instead
     * @return the verdict
     */
    public static LineVerdict rewrite(String text) {
        return new LineVerdict(true, Optional.of(text), "");
    }

    /**
     * @param reason what the sender is told, alone
     * @return the verdict that places nothing
     */
    public static LineVerdict refuse(String reason) {
        return new LineVerdict(false, Optional.empty(), reason);
    }
}
