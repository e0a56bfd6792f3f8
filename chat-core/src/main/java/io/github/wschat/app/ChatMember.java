package io.github.wschat.app;

import java.util.Objects;

/**
 * A member of a room as the application sees it: its nickname now, who it is, and from how many
 * devices (connections) it is in the room. A member is a person: one identity on several devices is
 * one member; an anonymous member is one connection. Immutable; a snapshot (the member may have
 * renamed, connected another device or left since).
 *
 * @param nick the member's nickname
 * @param identity who the member is; {@link Identity#ANONYMOUS} if the authenticator did not say
 * @param devices its connections in the room, on every node; 0 while it is away: its last one went
 *     and the server's leave grace waits for one to come back
 */
public record ChatMember(String nick, Identity identity, int devices) {

    /**
     * Checks the parts.
     *
     * @param nick the member's nickname
     * @param identity who the member is
     * @param devices its connections in the room; 0 while away
     * @throws IllegalArgumentException if {@code devices} is negative
     */
    public ChatMember {
        Objects.requireNonNull(nick, "nick");
        Objects.requireNonNull(identity, "identity");
        if (devices < 0) {
            throw new IllegalArgumentException("a negative device count: " + devices);
        }
    }

    /**
     * @return whether the member is away: its last device went, and the leave grace waits for one
     */
    public boolean away() {
        return devices == 0;
    }

    /**
     * A member on one device.
     *
     * @param nick the member's nickname
     * @param identity who the member is
     */
    public ChatMember(String nick, Identity identity) {
        this(nick, identity, 1);
    }
}
