package io.github.wschat.server;

import io.github.wschat.app.Identity;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HandshakeAuthenticator} decided: accept, optionally under a nickname it fixes (say,
 * the user a token names) and with an {@link Identity} (a user id and roles the hooks read, and bans
 * and mutes apply to), or refuse with an HTTP status and a reason. Immutable.
 *
 * <p>A fixed nickname follows the nickname rules ({@value NicknameRegistry#RULE}). If another
 * connection holds it when the handshake arrives, the handshake is refused with 409; if another
 * takes it between the handshake and the open, the new connection is closed with 1008.
 *
 * @param accepted whether the handshake is accepted
 * @param nickname the nickname the connection must use; empty for a random {@code user-N}, or the
 *     one the client asks for with {@code ?nick=}
 * @param status the HTTP status of a refusal, 400–599; 101 when accepted
 * @param reason why the handshake was refused; empty when accepted
 * @param identity who the member is; {@link Identity#ANONYMOUS} when the authenticator does not say,
 *     and always for a refusal
 * @param expiresAt when the credential the client showed (a token) expires: the connection is closed
 *     with {@link io.github.wschat.CloseCodes#EXPIRED} then, unless the client refreshed it before
 *     ({@link HandshakeAuthenticator#refresh}); empty for never
 */
public record Authentication(boolean accepted, Optional<String> nickname, int status, String reason,
        Identity identity, Optional<Instant> expiresAt) {

    private static final Authentication ACCEPT = new Authentication(true, Optional.empty(), 101, "");

    /**
     * Checks the parts.
     *
     * @param accepted whether the handshake is accepted
     * @param nickname the nickname the connection must use; empty for a random {@code user-N}
     * @param status the HTTP status of a refusal, 400–599; 101 when accepted
     * @param reason why the handshake was refused; empty when accepted
     * @param identity who the member is
     * @param expiresAt when the credential expires; empty for never
     * @throws IllegalArgumentException if the parts contradict each other or the nickname breaks
     *     the nickname rules
     */
    public Authentication {
        Objects.requireNonNull(nickname, "nickname");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!accepted && expiresAt.isPresent()) {
            throw new IllegalArgumentException("a refusal has no expiry");
        }
        if (accepted && status != 101) {
            throw new IllegalArgumentException("an accepted handshake has status 101");
        }
        if (!accepted && (status < 400 || status > 599 || nickname.isPresent() || !identity.isAnonymous())) {
            throw new IllegalArgumentException("a refusal has a 4xx or 5xx status, no nickname and no identity");
        }
        nickname.ifPresent(NicknameRegistry::requireValid);
    }

    /**
     * A decision without an expiry.
     *
     * @param accepted whether the handshake is accepted
     * @param nickname the nickname the connection must use; empty for a random {@code user-N}
     * @param status the HTTP status of a refusal, 400–599; 101 when accepted
     * @param reason why the handshake was refused; empty when accepted
     * @param identity who the member is
     */
    public Authentication(boolean accepted, Optional<String> nickname, int status, String reason, Identity identity) {
        this(accepted, nickname, status, reason, identity, Optional.empty());
    }

    /**
     * This acceptance, for a credential that expires at {@code instant}.
     *
     * @param instant when it expires
     * @return the decision with that expiry
     * @throws IllegalStateException if this is a refusal
     */
    public Authentication expiringAt(Instant instant) {
        if (!accepted) {
            throw new IllegalStateException("a refusal has no expiry");
        }
        return new Authentication(true, nickname, status, reason, identity, Optional.of(instant));
    }

    /**
     * An anonymous decision, as before identities existed.
     *
     * @param accepted whether the handshake is accepted
     * @param nickname the nickname the connection must use; empty for a random {@code user-N}
     * @param status the HTTP status of a refusal, 400–599; 101 when accepted
     * @param reason why the handshake was refused; empty when accepted
     */
    public Authentication(boolean accepted, Optional<String> nickname, int status, String reason) {
        this(accepted, nickname, status, reason, Identity.ANONYMOUS);
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
     * Accepts a known user, who picks a nickname with {@code ?nick=} or gets a random one.
     *
     * @param identity who the user is
     * @return the decision
     */
    public static Authentication accept(Identity identity) {
        return new Authentication(true, Optional.empty(), 101, "", identity);
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
     * Accepts a known user under a fixed nickname.
     *
     * @param nickname the nickname; {@value NicknameRegistry#RULE}
     * @param identity who the user is
     * @return the decision
     * @throws IllegalArgumentException if the nickname breaks the rules
     */
    public static Authentication acceptAs(String nickname, Identity identity) {
        return new Authentication(true, Optional.of(nickname), 101, "", identity);
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
