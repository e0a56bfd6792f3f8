package io.github.wschat.boot;

import io.github.wschat.Handshake;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.HandshakeAuthenticator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The origin check for the chat on a port of its own, before the authenticator: the application's
 * pages come from its own port, so {@code same-origin} there means a page from the host the handshake
 * was sent to, on any port. Other entries are origins ({@code https://example.com}) or {@code *}; a
 * handshake without an Origin (no browser) passes. A refused origin gets 403. Thread-safe.
 */
final class OwnPortOrigins implements HandshakeAuthenticator {

    private final Set<String> allowed;
    private final HandshakeAuthenticator next;

    OwnPortOrigins(List<String> allowed, HandshakeAuthenticator next) {
        this.allowed = allowed.stream().map(OwnPortOrigins::normalize).collect(Collectors.toUnmodifiableSet());
        this.next = next;
    }

    @Override
    public Authentication authenticate(Handshake handshake) {
        Optional<String> origin = handshake.header("Origin");
        if (origin.isPresent() && !allows(origin.get(), handshake.header("Host").orElse(""))) {
            return Authentication.refuse(403, "origin not allowed: " + origin.get());
        }
        return next.authenticate(handshake);
    }

    private boolean allows(String origin, String host) {
        String normalized = normalize(origin);
        if (allowed.contains("*") || allowed.contains(normalized)) {
            return true;
        }
        int scheme = normalized.indexOf("://");
        return allowed.contains("same-origin") && scheme > 0 && !host.isBlank()
                && hostOf(normalized.substring(scheme + 3)).equals(hostOf(host.trim().toLowerCase(Locale.ROOT)));
    }

    /** The host of an authority, without its port; an IPv6 address keeps its brackets. */
    private static String hostOf(String authority) {
        int colon = authority.lastIndexOf(':');
        return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
    }

    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
