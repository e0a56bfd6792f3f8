package io.github.wschat.server;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HandshakeAuthenticator} decided: accept, optionally under a nickname it fixes (say,
 * the user a token names), or refuse with an HTTP status and a reason. Immutable.
 *
 * <p>A fixed nickname follows the nickname rules ({@value NicknameRegistry#RULE}). If another
 * connection holds it when the handshake arrives, the handshake is refused with 409; if another
 * takes it between the handshake and the open, the new connection is closed with 1008.
 *
 * @param accepted whether the handshake is accepted
 * @param nickname the nickname the connection must use; empty for a random {@code user-N}
 * @param status the HTTP status of a refusal, 400–599; 101 when accepted
 * @param reason why the handshake was refused; empty when accepted
 */
public record Authentication(boolean accepted, Optional<String> nickname, int status, String reason) {

    private static final Authentication ACCEPT = new Authentication(true, Optional.empty(), 101, "");

    /**

     * Checks the parts.

     * the nickname rules

     *

     * @param accepted whether the handshake is accepted

     * @param nickname the nickname the connection must use; empty for a random {@code user-N}

     * @param status the HTTP status of a refusal, 400–599; 101 when accepted

     * @param reason why the handshake was refused; empty when accepted

     * @throws IllegalArgumentException if the parts contradict each other or the nickname breaks

     */

    public Authentication {
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(reason, "reason");
        if (accepted && status != 101) {
            throw new IllegalArgumentException("an accepted handshake has status 101");
        }
        if (!accepted && (status < 400 || status > 599 || nickname.isPresent())) {
            throw new IllegalArgumentException("a refusal has a 4xx or 5xx status and no nickname");
        }
        nickname.ifPresent(NicknameRegistry::requireValid);
    }

    /**
     * Accepts, with a random {@code user-N} nickname.
     *
     * @return the decision
     */
    public static Authentication accept() {
        return ACCEPT;
    }

    /**
     * Accepts under a fixed nickname.
     *
     * @param nickname the nickname; {@value NicknameRegistry#RULE}
     * @return the decision
     * @throws IllegalArgumentException if the nickname breaks the rules
     */
    public static Authentication acceptAs(String nickname) {
        return new Authentication(true, Optional.of(nickname), 101, "");
    }

    /**
     * Refuses the handshake, e.g. 401 for a missing or wrong token, 403 for a banned user.
     *
     * @param status an HTTP status, 400–599
     * @param reason why, for the client and the log
     * @return the decision
     */
    public static Authentication refuse(int status, String reason) {
        return new Authentication(false, Optional.empty(), status, reason);
    }
}
