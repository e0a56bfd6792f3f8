package io.github.wschat.app;

import java.util.Objects;

/**
 * A member of a room as the application sees it: its nickname now and who it is. Immutable; a
 * snapshot (the member may have renamed or left since).
 *
 * @param nick the member's nickname
 * @param identity who the member is; {@link Identity#ANONYMOUS} if the authenticator did not say
 */
public record ChatMember(String nick, Identity identity) {

    /**
     * Checks the parts are not null.
     *
     * @param nick the member's nickname
     * @param identity who the member is
     */
    public ChatMember {
        Objects.requireNonNull(nick, "nick");
        Objects.requireNonNull(identity, "identity");
    }
}
