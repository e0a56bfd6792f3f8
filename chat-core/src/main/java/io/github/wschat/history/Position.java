package io.github.wschat.history;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event's place in its room: the epoch and the sequence number within it, written
 * {@code EPOCH:SEQ} on the wire ({@code ?since=}, {@code before}). Immutable.
 *
 * @param epoch the room's epoch
 * @param sequence the position within the epoch, from 1
 */
public record Position(String epoch, long sequence) {

    private static final Pattern WIRE = Pattern.compile("([0-9A-Za-z]{1,32}):(\\d{1,18})");

    /**
     * Checks the parts.
     *
     * @param epoch the room's epoch, not empty
     * @param sequence the position, 0 or more (0: before the epoch's first event)
     */
    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (epoch.isEmpty() || sequence < 0) {
            throw new IllegalArgumentException("a position has an epoch and a sequence of 0 or more: " + epoch + ":" + sequence);
        }
    }

    /**
     * @param text {@code EPOCH:SEQ}
     * @return the position, or empty if the text is not one
     */
    public static Optional<Position> parse(String text) {
        Matcher m = WIRE.matcher(Objects.requireNonNull(text, "text"));
        return m.matches() ? Optional.of(new Position(m.group(1), Long.parseLong(m.group(2)))) : Optional.empty();
    }

    @Override
    public String toString() {
        return epoch + ":" + sequence;
    }
}
