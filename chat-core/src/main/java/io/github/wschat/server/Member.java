package io.github.wschat.server;

import io.github.wschat.Connection;
import io.github.wschat.protocol.WireFormat;

/**
 * A connection in a room. Its nickname is the room's view of it: changed when the room delivers the
 * member's rename, in the room's order, and read only under the room's lock.
 */
final class Member {

    private final Connection connection;
    private final WireFormat format;
    private String nick;

    Member(Connection connection, WireFormat format, String nick) {
        this.connection = connection;
        this.format = format;
        this.nick = nick;
    }

    Connection connection() {
        return connection;
    }

    WireFormat format() {
        return format;
    }

    String nick() {
        return nick;
    }

    void renamed(String to) {
        this.nick = to;
    }
}
