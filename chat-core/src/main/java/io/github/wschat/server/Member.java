package io.github.wschat.server;

import io.github.wschat.Connection;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.protocol.WireFormat;

/**
 * A connection in a room. Its nickname is the room's view of it: changed when the room delivers the
 * member's rename, in the room's order, and read only under the room's lock. Its mute, too, is set
 * when the room delivers it (before the frames that tell of it go out), and read by the member's
 * session.
 */
final class Member {

    private final Connection connection;
    private final WireFormat format;
    private final Identity identity;
    private String nick;
    private volatile long mutedUntil;

    Member(Connection connection, WireFormat format, String nick, Identity identity) {
        this.connection = connection;
        this.format = format;
        this.nick = nick;
        this.identity = identity;
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

    Identity identity() {
        return identity;
    }

    ChatMember view() {
        return new ChatMember(nick, identity);
    }

    void renamed(String to) {
        this.nick = to;
    }

    /** Muted until this time, in epoch milliseconds; 0 for never muted. */
    long mutedUntil() {
        return mutedUntil;
    }

    void muteUntil(long epochMillis) {
        this.mutedUntil = epochMillis;
    }
}
