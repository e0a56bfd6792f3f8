package io.github.wschat.broker.redis;

import io.github.wschat.broker.EventParts;
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
        EventParts parts = EventParts.of(event);
        return new String[] {parts.kind(), parts.a(), parts.b(), parts.c()};
    }

    /** The event of a stream entry's fields. */
    static RoomEvent event(Map<String, String> fields) {
        try {
            return new EventParts(fields.getOrDefault("k", ""), fields.getOrDefault("a", ""), fields.getOrDefault("b", ""),
                    fields.getOrDefault("c", "")).event();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a wschat event: " + fields, e);
        }
    }
}
