package io.github.wschat.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Reads an operator's moderation command from its words, whatever the wire format. */
final class Moderation {

    private Moderation() {
    }

    /** {@code /kick NICK REASON}, {@code /mute NICK DURATION [REASON]}, {@code /unmute NICK}, {@code /ban NICK DURATION [REASON]}. */
    static ClientCommand parse(String name, String rest) {
        ClientCommand.Moderate.Action action = ClientCommand.Moderate.Action.valueOf(name.toUpperCase(Locale.ROOT));
        String[] words = rest.isEmpty() ? new String[0] : rest.split(" +", 3);
        switch (action) {
            case KICK:
                return words.length < 1 ? usage("/kick NICK REASON")
                        : of(action, words[0], Duration.ZERO, rest.substring(words[0].length()).strip());
            case UNMUTE:
                return words.length != 1 ? usage("/unmute NICK") : of(action, words[0], Duration.ZERO, "");
            default:
                String form = "/" + name + " NICK DURATION [REASON], DURATION as 90s, 10m, 1h or 2d";
                if (words.length < 2) {
                    return usage(form);
                }
                Optional<Duration> duration = Durations.parse(words[1]).filter(d -> !d.isZero());
                return duration.isEmpty() ? usage(form)
                        : of(action, words[0], duration.get(), words.length > 2 ? words[2].strip() : "");
        }
    }

    /** The same from a JSON command's fields; null fields are missing. */
    static ClientCommand of(String name, String nick, String duration, String reason) {
        ClientCommand.Moderate.Action action = ClientCommand.Moderate.Action.valueOf(name.toUpperCase(Locale.ROOT));
        if (nick == null) {
            return new ClientCommand.Invalid(ChatError.MALFORMED, name + " needs \"nick\"");
        }
        String why = reason == null ? "" : reason;
        if (action == ClientCommand.Moderate.Action.MUTE || action == ClientCommand.Moderate.Action.BAN) {
            Optional<Duration> d = duration == null ? Optional.empty() : Durations.parse(duration).filter(x -> !x.isZero());
            return d.isEmpty() ? new ClientCommand.Invalid(ChatError.MALFORMED,
                    name + " needs \"duration\" as 90s, 10m, 1h or 2d") : of(action, nick, d.get(), why);
        }
        return of(action, nick, Duration.ZERO, why);
    }

    private static ClientCommand of(ClientCommand.Moderate.Action action, String nick, Duration duration, String reason) {
        return new ClientCommand.Moderate(action, nick, duration, reason);
    }

    private static ClientCommand usage(String form) {
        return new ClientCommand.Invalid(ChatError.BAD_COMMAND, "usage: " + form);
    }
}
