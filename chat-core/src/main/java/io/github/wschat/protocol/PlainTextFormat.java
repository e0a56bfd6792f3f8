package io.github.wschat.protocol;

import io.github.wschat.broker.RoomEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's plain text lines, the format of a client that asks for no subprotocol (like the
 * Cookbook's own page). Stateless; use {@link #INSTANCE}.
 *
 * <p>Frames from the server, one line each:
 * <pre>
 * nick: message                      a message (the seed's)
 *  .... nick has left.               a leave (the seed's)
 *  .... nick has joined.             a join
 *  .... old is now known as new.     a rename
 * * nick waves                       an action (/me waves)
 * [private] ann -&gt; bob: text         a private message, to its sender and recipient alone
 *  *** text                          a line from the application (a notice)
 *  .... ann was removed: reason.     a member removed by a moderator ("was banned for 1h: reason." for a ban)
 *  .... ann is muted for 10m: reason.  a member muted by a moderator (" .... ann may speak again." when lifted)
 *  .... in lobby: ann, bob           the answer to /who
 *  .... error text                   an error, to one client alone
 * </pre>
 * On joining, a client gets the room's recent lines first, in the same forms.
 *
 * <p>Frames from a client: a line of text is said to the room; {@code /nick NAME},
 * {@code /who}, {@code /msg NICK TEXT} and {@code /me ACTION} are commands, and for operators
 * {@code /kick NICK REASON}, {@code /mute NICK 10m [REASON]}, {@code /unmute NICK} and
 * {@code /ban NICK 1h [REASON]}; {@code //text} says
 * {@code /text}; any other line starting with {@code /} is an unknown command.
 */
public final class PlainTextFormat implements WireFormat {

    /** The one instance. */
    public static final PlainTextFormat INSTANCE = new PlainTextFormat();

    private static final String NOTICE = " .... ";
    private static final String USAGE = "commands: /nick NAME, /who, /msg NICK TEXT, /me ACTION; "
            + "start a line with // to say something that starts with /";

    private PlainTextFormat() {
    }

    @Override
    public String subprotocol() {
        return "";
    }

    @Override
    public ClientCommand parse(String frame) {
        if (!frame.startsWith("/")) {
            return new ClientCommand.Say(frame);
        }
        if (frame.startsWith("//")) {
            return new ClientCommand.Say(frame.substring(1));
        }
        int space = frame.indexOf(' ');
        String name = space < 0 ? frame.substring(1) : frame.substring(1, space);
        String rest = space < 0 ? "" : frame.substring(space + 1).strip();
        switch (name) {
            case "nick":
                return rest.isEmpty() || rest.contains(" ")
                        ? new ClientCommand.Invalid(ChatError.BAD_COMMAND, "usage: /nick NAME")
                        : new ClientCommand.Nick(rest);
            case "who":
                return rest.isEmpty() ? new ClientCommand.Who()
                        : new ClientCommand.Invalid(ChatError.BAD_COMMAND, "usage: /who");
            case "history":
                return rest.isEmpty() ? new ClientCommand.History(java.util.Optional.empty(),
                        ClientCommand.History.DEFAULT_LIMIT) : new ClientCommand.Invalid(ChatError.BAD_COMMAND, "usage: /history");
            case "refresh":
                return rest.isEmpty() || rest.contains(" ")
                        ? new ClientCommand.Invalid(ChatError.BAD_COMMAND, "usage: /refresh TOKEN")
                        : new ClientCommand.Refresh(rest);
            case "me":
                return rest.isEmpty() ? new ClientCommand.Invalid(ChatError.BAD_COMMAND, "usage: /me ACTION")
                        : new ClientCommand.Me(rest);
            case "msg": {
                int split = rest.indexOf(' ');
                return split < 0 ? new ClientCommand.Invalid(ChatError.BAD_COMMAND, "usage: /msg NICK TEXT")
                        : new ClientCommand.Msg(rest.substring(0, split), rest.substring(split + 1).strip());
            }
            case "kick":
            case "mute":
            case "unmute":
            case "ban":
                return Moderation.parse(name, rest);
            default:
                return new ClientCommand.Invalid(ChatError.UNKNOWN_COMMAND, "unknown command /" + name + "; " + USAGE);
        }
    }

    @Override
    public String event(long sequence, long time, RoomEvent event) {
        if (event instanceof RoomEvent.Message m) {
            return m.nick() + ": " + m.text();
        }
        if (event instanceof RoomEvent.Left l) {
            return NOTICE + l.nick() + " has left.";
        }
        if (event instanceof RoomEvent.Joined j) {
            return NOTICE + j.nick() + " has joined.";
        }
        if (event instanceof RoomEvent.Renamed r) {
            return NOTICE + r.from() + " is now known as " + r.to() + ".";
        }
        if (event instanceof RoomEvent.Action a) {
            return "* " + a.nick() + " " + a.text();
        }
        if (event instanceof RoomEvent.Private p) {
            return "[private] " + p.from() + " -> " + p.to() + ": " + p.text();
        }
        if (event instanceof RoomEvent.Notice n) {
            return " *** " + n.text();
        }
        if (event instanceof RoomEvent.Removed r) {
            return NOTICE + r.nick() + (r.banned() > 0 ? " was banned for " + Durations.describe(r.banned()) : " was removed")
                    + ": " + r.reason() + ".";
        }
        if (event instanceof RoomEvent.Muted m) {
            return m.millis() == 0 ? NOTICE + m.nick() + " may speak again."
                    : NOTICE + m.nick() + " is muted for " + Durations.describe(m.millis()) + ": " + m.reason() + ".";
        }
        throw new IllegalArgumentException("no plain-text form for " + event);
    }

    @Override
    public List<String> welcome(String nick, String room, List<String> members, List<Sequenced> history) {
        List<String> frames = new ArrayList<>(history.size());
        for (Sequenced past : history) {
            frames.add(event(past.sequence(), past.time(), past.event()));
        }
        return frames;
    }

    @Override
    public String members(String room, List<String> members) {
        return NOTICE + "in " + room + ": " + String.join(", ", members);
    }

    /** A notice, the events as lines, and a notice that says whether there is more ({@code /history} again). */
    @Override
    public List<String> history(String room, io.github.wschat.history.HistoryPage page, String id) {
        List<String> frames = new java.util.ArrayList<>(page.events().size() + 2);
        if (page.events().isEmpty()) {
            frames.add(NOTICE + "no earlier lines in " + room + ".");
            return frames;
        }
        frames.add(NOTICE + "earlier in " + room + ":");
        for (io.github.wschat.app.PlacedEvent event : page.events()) {
            frames.add(event(event.sequence(), event.time(), event.event()));
        }
        frames.add(NOTICE + (page.more() ? "/history shows the lines before these." : "that was the room's first line."));
        return frames;
    }

    @Override
    public String error(ChatError error, String text) {
        return NOTICE + text;
    }
}
