package io.github.wschat.server;

import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A person in a room on this node, with one or more {@link Device}s. Its nickname is the room's view
 * of it: changed when the room delivers the member's rename, in the room's order, and read only under
 * the room's lock; {@link #name()} is what its lines go out as, changed at once by a rename from one
 * of its devices here. Its mute is set when the room delivers it (before the frames that tell of it go
 * out), and read by its devices' sessions.
 */
final class Member {

    private final String key;
    private final Identity identity;
    private final InetAddress address;
    private String nick;
    private volatile String name;
    private volatile long mutedUntil;
    // The name this node holds for it in the registry: the one it was made with, or its latest rename here.
    private volatile String claimed;
    // Under the room's lock: how many devices it has here.
    private int devices;

    /**
     * @param key the person's key: {@code i:} and the identity's id, or for an anonymous member a key
     *     of its one connection
     * @param address where its first device connected from (an anonymous member's sanctions name it)
     */
    Member(String key, String nick, Identity identity, InetAddress address) {
        this.key = key;
        this.nick = nick;
        this.name = nick;
        this.claimed = nick;
        this.identity = identity;
        this.address = address;
    }

    /**
     * The key of a person: {@code i:} and its identity's id; for someone anonymous, a key of its own
     * (its one connection), unique across nodes.
     */
    static String keyOf(Identity identity) {
        if (identity.isAnonymous()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return "c:" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        }
        return "i:" + identity.id();
    }

    String key() {
        return key;
    }

    String nick() {
        return nick;
    }

    /** The nickname its lines are sent as now. */
    String name() {
        return name;
    }

    /** A rename from one of its devices here was placed: later lines go out under the new name. */
    void sendAs(String to) {
        this.name = to;
    }

    Identity identity() {
        return identity;
    }

    InetAddress address() {
        return address;
    }

    ChatMember view() {
        return new ChatMember(nick, identity, devices);
    }

    void renamed(String to) {
        this.nick = to;
        this.name = to;
    }

    /** The name the registry holds for it on this node: released when it leaves here. */
    String claimed() {
        return claimed;
    }

    void claimed(String nick) {
        this.claimed = nick;
    }

    void devices(int count) {
        this.devices = count;
    }

    /** Muted until this time, in epoch milliseconds; 0 for never muted. */
    long mutedUntil() {
        return mutedUntil;
    }

    void muteUntil(long epochMillis) {
        this.mutedUntil = epochMillis;
    }
}
