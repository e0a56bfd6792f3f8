package io.github.wschat.server;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which room a handshake path names, below a base path ({@value #DEFAULT_BASE} unless the builder's
 * {@code path} says otherwise). {@code /}, {@code BASE} and {@code BASE/} name the default room,
 * {@value #DEFAULT_ROOM}; {@code BASE/NAME} names room NAME, where NAME is 1–64 of
 * {@code A-Z a-z 0-9 . _ -}. A {@code BASE/...} path with another name is refused with 400 and the
 * rule; every other path names no room, and its handshake is refused with 404. Immutable.
 */
final class RoomPaths {

    static final String DEFAULT_ROOM = "lobby";
    static final String DEFAULT_BASE = "/chat";

    /** The room name rule, for error messages. */
    static final String RULE = "1-64 of A-Z a-z 0-9 . _ -";
    /** The base path rule, for error messages. */
    static final String BASE_RULE = "/ and one or more segments of A-Z a-z 0-9 . _ - joined by /, e.g. /chat";

    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BASE = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    /** Rooms at {@value #DEFAULT_BASE}. (After the patterns, which its constructor uses.) */
    static final RoomPaths DEFAULT = new RoomPaths(DEFAULT_BASE);

    private final String base;
    private final String prefix;

    /**
     * @param base where the rooms are, e.g. {@code /chat}
     * @throws IllegalArgumentException if the base breaks {@link #BASE_RULE}
     */
    RoomPaths(String base) {
        if (!BASE.matcher(base).matches()) {
            throw new IllegalArgumentException("a chat path is " + BASE_RULE + ": " + base);
        }
        this.base = base;
        this.prefix = base + "/";
    }

    String base() {
        return base;
    }

    /** Whether the path is meant to name a room ({@code BASE/...}), valid or not. */
    boolean namesARoom(String path) {
        return path.startsWith(prefix);
    }

    static boolean isRoomName(String name) {
        return ROOM_NAME.matcher(name).matches();
    }

    Optional<String> roomOf(String path) {
        if (path.equals("/") || path.equals(base) || path.equals(prefix)) {
            return Optional.of(DEFAULT_ROOM);
        }
        if (path.startsWith(prefix)) {
            String name = path.substring(prefix.length());
            if (ROOM_NAME.matcher(name).matches()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
