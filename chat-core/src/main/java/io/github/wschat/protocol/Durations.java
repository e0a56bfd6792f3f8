package io.github.wschat.protocol;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in chat: {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}, and back.
 * Stateless.
 */
public final class Durations {

    private static final Pattern TYPED = Pattern.compile("([0-9]{1,6})([smhd])");

    private Durations() {
    }

    /**
     * Reads a typed duration: a number and one of {@code s m h d}, e.g. {@code 10m}.
     *
     * @param typed what was typed
     * @return the duration, if it is one
     */
    public static Optional<Duration> parse(String typed) {
        Matcher m = TYPED.matcher(typed.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        try {
            switch (m.group(2)) {
                case "s": return Optional.of(Duration.ofSeconds(n));
                case "m": return Optional.of(Duration.ofMinutes(n));
                case "h": return Optional.of(Duration.ofHours(n));
                default: return Optional.of(Duration.ofDays(n));
            }
        } catch (ArithmeticException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes a duration by its two largest units, at least a second: {@code 1h 5m}, {@code 9m 32s}, {@code 3s}.
     *
     * @param millis the duration in milliseconds
     * @return the text
     */
    public static String describe(long millis) {
        long seconds = Math.max(1, (millis + 999) / 1000);
        long days = seconds / 86_400;
        long hours = seconds / 3_600 % 24;
        long minutes = seconds / 60 % 60;
        long secs = seconds % 60;
        if (days > 0) {
            return hours > 0 ? days + "d " + hours + "h" : days + "d";
        }
        if (hours > 0) {
            return minutes > 0 ? hours + "h " + minutes + "m" : hours + "h";
        }
        if (minutes > 0) {
            return secs > 0 ? minutes + "m " + secs + "s" : minutes + "m";
        }
        return secs + "s";
    }
}
