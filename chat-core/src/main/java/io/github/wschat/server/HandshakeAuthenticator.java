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
}
