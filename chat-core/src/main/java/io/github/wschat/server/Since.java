package io.github.wschat.server;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last event a reconnecting client saw, from {@code ?since=EPOCH:SEQ}: the client gets the
 * room's events after it, while they are still held.
 */
record Since(String epoch, long sequence) {

    /** The query parameter. */
    static final String QUERY = "since";

    /** The rule, for the 400 a malformed value gets. */
    static final String RULE = "since=EPOCH:SEQ, the epoch and seq of the last event seen";

    private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_-]{1,64}):(\\d{1,18})");

    /**
     * @return the position, or empty for a value that is not one
     */
    static Optional<Since> parse(String value) {
        Matcher m = FORM.matcher(value);
        return m.matches() ? Optional.of(new Since(m.group(1), Long.parseLong(m.group(2)))) : Optional.empty();
    }
}
