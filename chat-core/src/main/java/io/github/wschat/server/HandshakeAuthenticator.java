package io.github.wschat.server;

import io.github.wschat.Handshake;

/**
 * Decides, from the opening handshake alone, who may join the chat: a token in the query or a
 * header, a cookie, the peer's address. It runs after the path, Origin and connection limits
 * passed and before any connection exists, so a refused client costs no connection and never
 * appears in a room.
 *
 * <pre>{@code
 * ChatServer.builder()
 *         .authenticator(handshake -> handshake.queryParameter("token")
 *                 .flatMap(tokens::userOf)
 *                 .map(Authentication::acceptAs)
 *                 .orElse(Authentication.refuse(401, "a valid token is required")))
 *         ...
 * }</pre>
 *
 * <p>Called on transport threads, possibly on several at once, so implementations are thread-safe;
 * they must not block for long (the transport's thread waits). An exception refuses the handshake
 * with 500 and is logged.
 */
@FunctionalInterface
public interface HandshakeAuthenticator {

    /** Accepts everyone, with a random {@code user-N} nickname; the default. */
    HandshakeAuthenticator ANYONE = handshake -> Authentication.accept();

    /**
     * Decides on one handshake.
     *
     * @param handshake the client's handshake
     * @return the decision, never null
     */
    Authentication authenticate(Handshake handshake);

    /**
     * Checks a fresh credential a connected member sends before its first one expires (the JSON command
     * {@code {"type":"refresh","token":…}}, or {@code /refresh TOKEN}): accepted for the same identity, it
     * moves the connection's expiry to the new one's. Called on a transport thread, like
     * {@link #authenticate}. By default every refresh is refused: an authenticator whose credentials
     * expire overrides it.
     *
     * @param identity who the member is now
     * @param credential what the client sent
     * @return the decision; an acceptance naming another identity is refused
     */
    default Authentication refresh(io.github.wschat.app.Identity identity, String credential) {
        return Authentication.refuse(400, "this chat does not refresh credentials");
    }
}
