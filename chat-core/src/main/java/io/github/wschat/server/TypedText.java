package io.github.wschat.server;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one place that turns what a client typed into room lines, whatever its wire format: a text
 * with line breaks (CR, LF or CRLF) becomes one line per non-empty part, so no one can forge a line
 * that looks like someone else's; other control characters (NUL included, tab excepted) are
 * removed; a text that is empty after that yields no line.
 */
final class TypedText {

    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\t]]");

    private TypedText() {
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
