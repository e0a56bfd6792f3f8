package io.github.wschat.server;

import io.github.wschat.broker.RoomEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The seed's wire format, and the one place that turns what a client typed into room lines.
 *
 * <p>Lines: a message M from nick is {@code nick: M}; a leave is {@code " .... nick has left."}.
 *
 * <p>Input: a message with line breaks (CR, LF or CRLF) becomes one line per non-empty part, so no
 * one can forge a line that looks like someone else's; other control characters (NUL included,
 * tab excepted) are removed; an empty message, or one that is empty after that, is ignored.
 */
final class PlainText {

    /** Sent to a sender alone when its line was refused by the rate limit. */
    static final String TOO_FAST = " .... too fast: that line was not sent; wait a moment.";

    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\t]]");

    private PlainText() {
    }

    static String format(RoomEvent event) {
        if (event instanceof RoomEvent.Message message) {
            return message.nick() + ": " + message.text();
        }
        if (event instanceof RoomEvent.Left left) {
            return " .... " + left.nick() + " has left.";
        }
        throw new IllegalArgumentException("no plain-text form for " + event);
    }

    static List<String> lines(String typed) {
        List<String> lines = new ArrayList<>(1);
        for (String part : LINE_BREAK.split(typed, -1)) {
            String clean = CONTROL.matcher(part).replaceAll("");
            if (!clean.isEmpty()) {
                lines.add(clean);
            }
        }
        return lines;
    }
}
