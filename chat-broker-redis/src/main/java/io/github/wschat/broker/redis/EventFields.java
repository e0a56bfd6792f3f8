package io.github.wschat.broker.redis;

import io.github.wschat.broker.RoomEvent;
import java.util.Map;

/**
 * A {@link RoomEvent} as the fields of a stream entry: {@code k} its kind, {@code a}, {@code b},
 * {@code c} its parts in declaration order (empty where the kind has fewer).
 */
final class EventFields {

    private EventFields() {
    }

    /** The kind and the three parts, for the append script's arguments. */
    static String[] of(RoomEvent event) {
        if (event instanceof RoomEvent.Message m) {
            return new String[] {"m", m.nick(), m.text(), ""};
        } else if (event instanceof RoomEvent.Action a) {
            return new String[] {"a", a.nick(), a.text(), ""};
        } else if (event instanceof RoomEvent.Joined j) {
            return new String[] {"j", j.nick(), "", ""};
        } else if (event instanceof RoomEvent.Left l) {
            return new String[] {"l", l.nick(), "", ""};
        } else if (event instanceof RoomEvent.Renamed r) {
            return new String[] {"r", r.from(), r.to(), ""};
        } else if (event instanceof RoomEvent.Private p) {
            return new String[] {"p", p.from(), p.to(), p.text()};
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /** The event of a stream entry's fields. */
    static RoomEvent event(Map<String, String> fields) {
        String a = fields.getOrDefault("a", "");
        String b = fields.getOrDefault("b", "");
        String c = fields.getOrDefault("c", "");
        switch (fields.getOrDefault("k", "")) {
            case "m": return new RoomEvent.Message(a, b);
            case "a": return new RoomEvent.Action(a, b);
            case "j": return new RoomEvent.Joined(a);
            case "l": return new RoomEvent.Left(a);
            case "r": return new RoomEvent.Renamed(a, b);
            case "p": return new RoomEvent.Private(a, b, c);
            default: throw new IllegalArgumentException("not a wschat event: " + fields);
        }
    }
}
