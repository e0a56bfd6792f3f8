package io.github.wschat.demo;

import io.github.wschat.Handshake;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.HandshakeAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The demo's example authenticator: one shared secret, passed as {@code ?token=...} on the
 * WebSocket URL (a browser cannot set headers on a WebSocket). A missing or wrong token is refused
 * with 401; the comparison takes the same time whatever the guess. Immutable.
 */
final class SharedTokenAuthenticator implements HandshakeAuthenticator {

    private final byte[] token;

    SharedTokenAuthenticator(String token) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--auth-token is empty");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Authentication authenticate(Handshake handshake) {
        byte[] offered = handshake.queryParameter("token").orElse("").getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, offered)
                ? Authentication.accept()
                : Authentication.refuse(401, "a valid token is required");
    }
}
