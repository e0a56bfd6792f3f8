package io.github.wschat.broker;

import java.util.Objects;

/**
 * A {@link RoomEvent} as a kind letter and three strings, the way brokers and stores keep events
 * outside the process (a Redis stream's fields, a database's columns): {@code m} message (nick,
 * text, author), {@code a} action (nick, text, author), {@code j} join, {@code l} leave (nick),
 * {@code r} rename (from, to), {@code p} private (from, to, text), {@code n} notice (text),
 * {@code x} removal (nick, reason, banned ms with {@code +address}), {@code u} mute (nick, ms, reason);
 * parts a kind has not are empty. Stable: kept data is read back by later versions. Immutable.
 *
 * @param kind the kind's letter
 * @param a the first part
 * @param b the second part
 * @param c the third part
 */
public record EventParts(String kind, String a, String b, String c) {

    /**
     * Checks the parts are not null.
     *
     * @param kind the kind's letter
     * @param a the first part
     * @param b the second part
     * @param c the third part
     */
    public EventParts {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
    }

    /**
     * @param event an event
     * @return its parts
     */
    public static EventParts of(RoomEvent event) {
        if (event instanceof RoomEvent.Message m) {
            return new EventParts("m", m.nick(), m.text(), m.author());
        } else if (event instanceof RoomEvent.Action a) {
            return new EventParts("a", a.nick(), a.text(), a.author());
        } else if (event instanceof RoomEvent.Joined j) {
            return new EventParts("j", j.nick(), "", "");
        } else if (event instanceof RoomEvent.Left l) {
            return new EventParts("l", l.nick(), "", "");
        } else if (event instanceof RoomEvent.Renamed r) {
            return new EventParts("r", r.from(), r.to(), "");
        } else if (event instanceof RoomEvent.Private p) {
            return new EventParts("p", p.from(), p.to(), p.text());
        } else if (event instanceof RoomEvent.Notice n) {
            return new EventParts("n", n.text(), "", "");
        } else if (event instanceof RoomEvent.Removed r) {
            return new EventParts("x", r.nick(), r.reason(), r.banned() + (r.address() ? "+address" : ""));
        } else if (event instanceof RoomEvent.Muted m) {
            return new EventParts("u", m.nick(), Long.toString(m.millis()), m.reason());
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /**
     * @return the event these parts describe
     * @throws IllegalArgumentException if the kind is unknown or a part does not fit it
     */
    public RoomEvent event() {
        switch (kind) {
            case "m": return new RoomEvent.Message(a, b, c);
            case "a": return new RoomEvent.Action(a, b, c);
            case "j": return new RoomEvent.Joined(a);
            case "l": return new RoomEvent.Left(a);
            case "r": return new RoomEvent.Renamed(a, b);
            case "p": return new RoomEvent.Private(a, b, c);
            case "n": return new RoomEvent.Notice(a);
            case "x": return new RoomEvent.Removed(a, b, Long.parseLong(c.replace("+address", "")), c.endsWith("+address"));
            case "u": return new RoomEvent.Muted(a, Long.parseLong(b), c);
            default: throw new IllegalArgumentException("not a wschat event kind: " + kind);
        }
    }
}
