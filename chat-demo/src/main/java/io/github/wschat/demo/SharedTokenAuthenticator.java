package io.github.wschat.demo;

import io.github.wschat.Handshake;
import io.github.wschat.app.Identity;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.HandshakeAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The demo's example authenticator, with secrets passed as {@code ?token=...} on the WebSocket URL (a
 * browser cannot set headers on a WebSocket): a shared token everyone needs (if set; a missing or wrong
 * one is refused with 401), and an operator token (if set) whose holders are operators: identity
 * {@code operator}, role {@code operator}, allowed to {@code /kick}, {@code /mute}, {@code /ban}.
 * Comparisons take the same time whatever the guess. Immutable.
 */
final class SharedTokenAuthenticator implements HandshakeAuthenticator {

    private static final Identity OPERATOR = Identity.of("operator", "operator");

    private final byte[] token;
    private final byte[] operatorToken;

    /** Everyone needs the shared token; no operators. */
    SharedTokenAuthenticator(String token) {
        this(token, null);
    }

    /**
     * @param token what everyone's URL must carry; null for anyone
     * @param operatorToken what an operator's URL carries instead; null for no operators
     */
    SharedTokenAuthenticator(String token, String operatorToken) {
        if ((token != null && token.isEmpty()) || (operatorToken != null && operatorToken.isEmpty())) {
            throw new IllegalArgumentException("a token is not empty");
        }
        if (token == null && operatorToken == null) {
            throw new IllegalArgumentException("no token to check");
        }
        this.token = bytes(token);
        this.operatorToken = bytes(operatorToken);
    }

    private static byte[] bytes(String token) {
        return token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Authentication authenticate(Handshake handshake) {
        byte[] offered = handshake.queryParameter("token").orElse("").getBytes(StandardCharsets.UTF_8);
        if (operatorToken != null && MessageDigest.isEqual(operatorToken, offered)) {
            return Authentication.accept(OPERATOR);
        }
        return token == null || MessageDigest.isEqual(token, offered)
                ? Authentication.accept()
                : Authentication.refuse(401, "a valid token is required");
    }
}
