package io.github.wschat.broker.redis;

import io.github.wschat.broker.RoomEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RoomEvent} as the fields of a stream entry: {@code k} its kind, {@code a}, {@code b},
 * {@code c} its parts in declaration order (empty where the kind has fewer).
 */
final class EventFields {

    /** The field of an entry that holds the key it was published with once, if it was. */
    static final String ONCE_KEY = "i";

    /** The fields of an entry, time first, in the order {@link #pack} writes them. */
    private static final List<String> NAMES = List.of("t", "k", "a", "b", "c", ONCE_KEY);

    private EventFields() {
    }

    /** An entry's fields as one string: each value's length, a colon, the value. */
    static String pack(Map<String, String> fields) {
        StringBuilder packed = new StringBuilder();
        for (String name : NAMES) {
            String value = fields.getOrDefault(name, "");
            packed.append(value.length()).append(':').append(value);
        }
        return packed.toString();
    }

    /** The fields {@link #pack} packed. */
    static Map<String, String> unpack(String packed) {
        Map<String, String> fields = new LinkedHashMap<>();
        int at = 0;
        for (String name : NAMES) {
            int colon = packed.indexOf(':', at);
            if (colon < 0) {
                throw new IllegalArgumentException("not a packed entry: " + packed);
            }
            int end = colon + 1 + Integer.parseInt(packed.substring(at, colon));
            String value = packed.substring(colon + 1, end);
            if (!name.equals(ONCE_KEY) || !value.isEmpty()) { // an entry published without a key has none
                fields.put(name, value);
            }
            at = end;
        }
        return fields;
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
        } else if (event instanceof RoomEvent.Notice n) {
            return new String[] {"n", n.text(), "", ""};
        } else if (event instanceof RoomEvent.Removed r) {
            return new String[] {"x", r.nick(), r.reason(), r.banned() + (r.address() ? "+address" : "")};
        } else if (event instanceof RoomEvent.Muted m) {
            return new String[] {"u", m.nick(), Long.toString(m.millis()), m.reason()};
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
            case "n": return new RoomEvent.Notice(a);
            case "x": return new RoomEvent.Removed(a, b, Long.parseLong(c.replace("+address", "")), c.endsWith("+address"));
            case "u": return new RoomEvent.Muted(a, Long.parseLong(b), c);
            default: throw new IllegalArgumentException("not a wschat event: " + fields);
        }
    }
}
