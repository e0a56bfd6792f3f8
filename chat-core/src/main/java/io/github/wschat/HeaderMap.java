package io.github.wschat;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A handshake's headers: immutable, names matched case-insensitively and iterated in case-insensitive
 * order (as a {@code TreeMap} with {@link String#CASE_INSENSITIVE_ORDER} would), held in two arrays.
 * A connection keeps its handshake for as long as it is open, so this is per-connection memory: two
 * arrays instead of a tree of entries, a header's one value held as the string itself, and the names
 * and values every WebSocket handshake repeats held as one shared string each. Thread-safe.
 */
final class HeaderMap extends AbstractMap<String, List<String>> {

    /** Sorted by {@link String#CASE_INSENSITIVE_ORDER}; distinct ignoring case. */
    private final String[] names;
    /** A name's values: a {@code String} when there is one, else an immutable {@code List<String>}. */
    private final Object[] values;

    private HeaderMap(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    /**
     * An immutable copy; names that differ only in case become one entry with the values of all, under
     * the name seen first.
     *
     * @throws NullPointerException if a name, a list of values or a value is null
     */
    static HeaderMap copyOf(Map<String, List<String>> headers) {
        if (headers instanceof HeaderMap same) {
            return same;
        }
        int capacity = headers.size();
        String[] names = new String[capacity];
        Object[] values = new Object[capacity];
        int size = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = Objects.requireNonNull(header.getKey(), "header name");
            List<String> list = List.copyOf(header.getValue());
            int at = Arrays.binarySearch(names, 0, size, name, String.CASE_INSENSITIVE_ORDER);
            if (at >= 0) {
                // The same name in another case: one entry with the values of both.
                List<String> both = new ArrayList<>(list(values[at]));
                both.addAll(list);
                values[at] = List.copyOf(both);
                continue;
            }
            at = -at - 1;
            System.arraycopy(names, at, names, at + 1, size - at);
            System.arraycopy(values, at, values, at + 1, size - at);
            names[at] = shared(name);
            values[at] = list.size() == 1 ? shared(list.get(0)) : list;
            size++;
        }
        return size == capacity ? new HeaderMap(names, values)
                : new HeaderMap(Arrays.copyOf(names, size), Arrays.copyOf(values, size));
    }

    /**
     * The one shared instance of a header name or value that every WebSocket handshake sends in this
     * exact spelling (a string constant), or {@code text} itself.
     */
    private static String shared(String text) {
        return switch (text) {
            case "Host" -> "Host";
            case "host" -> "host";
            case "Upgrade" -> "Upgrade";
            case "upgrade" -> "upgrade";
            case "Connection" -> "Connection";
            case "connection" -> "connection";
            case "Sec-WebSocket-Key" -> "Sec-WebSocket-Key";
            case "sec-websocket-key" -> "sec-websocket-key";
            case "Sec-WebSocket-Version" -> "Sec-WebSocket-Version";
            case "sec-websocket-version" -> "sec-websocket-version";
            case "Sec-WebSocket-Extensions" -> "Sec-WebSocket-Extensions";
            case "sec-websocket-extensions" -> "sec-websocket-extensions";
            case "Sec-WebSocket-Protocol" -> "Sec-WebSocket-Protocol";
            case "sec-websocket-protocol" -> "sec-websocket-protocol";
            case "Origin" -> "Origin";
            case "origin" -> "origin";
            case "User-Agent" -> "User-Agent";
            case "user-agent" -> "user-agent";
            case "Cookie" -> "Cookie";
            case "cookie" -> "cookie";
            case "Authorization" -> "Authorization";
            case "authorization" -> "authorization";
            case "websocket" -> "websocket";
            case "13" -> "13";
            case "keep-alive, Upgrade" -> "keep-alive, Upgrade";
            case "permessage-deflate; client_max_window_bits" -> "permessage-deflate; client_max_window_bits";
            default -> text;
        };
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object value) {
        return value instanceof String one ? List.of(one) : (List<String>) value;
    }

    private int indexOf(Object name) {
        return name instanceof String text ? Arrays.binarySearch(names, text, String.CASE_INSENSITIVE_ORDER) : -1;
    }

    @Override
    public List<String> get(Object name) {
        int at = indexOf(name);
        return at >= 0 ? list(values[at]) : null;
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, List<String>>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Entry<String, List<String>> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        int at = next++;
                        return new SimpleImmutableEntry<>(names[at], list(values[at]));
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
