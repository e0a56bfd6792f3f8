package io.github.wschat.server;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which room a handshake path names. {@code /}, {@code /chat} and {@code /chat/} name the default
 * room, {@value #DEFAULT_ROOM}; {@code /chat/NAME} names room NAME, where NAME is 1–64 of
 * {@code A-Z a-z 0-9 . _ -}. A {@code /chat/...} path with another name is refused with 400 and the
 * rule; every other path names no room, and its handshake is refused with 404.
 */
final class RoomPaths {

    static final String DEFAULT_ROOM = "lobby";

    /** The room name rule, for error messages. */
    static final String RULE = "1-64 of A-Z a-z 0-9 . _ -";

    private static final String PREFIX = "/chat/";
    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RoomPaths() {
    }

    /** Whether the path is meant to name a room ({@code /chat/...}), valid or not. */
    static boolean namesARoom(String path) {
        return path.startsWith(PREFIX);
    }

    static boolean isRoomName(String name) {
        return ROOM_NAME.matcher(name).matches();
    }

    static Optional<String> roomOf(String path) {
        if (path.equals("/") || path.equals("/chat") || path.equals(PREFIX)) {
            return Optional.of(DEFAULT_ROOM);
        }
        if (path.startsWith(PREFIX)) {
            String name = path.substring(PREFIX.length());
            if (ROOM_NAME.matcher(name).matches()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
