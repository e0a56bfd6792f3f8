package io.github.wschat.boot;

import io.github.wschat.Handshake;
import io.github.wschat.app.Identity;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.HandshakeAuthenticator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The member is the user Spring Security authenticated for the upgrade request: the identity's id
 * and the nickname are the principal's name (where the name is no valid nickname, the member gets
 * one as without Spring Security), its roles the user's authorities without the
 * {@code ROLE_} prefix, in lower case ({@code ROLE_OPERATOR} is the role {@code operator}). An
 * anonymous request is refused with 401, unless anonymous chat is allowed: then it joins with a
 * nickname of its own, as without Spring Security.
 *
 * <p>It reads Spring Security's context of the thread the handshake is admitted on, which the
 * Jakarta transport does on the request's own thread, behind the application's security filters.
 * Thread-safe and stateless.
 */
final class PrincipalAuthenticator implements HandshakeAuthenticator {

    private final boolean allowAnonymous;

    PrincipalAuthenticator(boolean allowAnonymous) {
        this.allowAnonymous = allowAnonymous;
    }

    @Override
    public Authentication authenticate(Handshake handshake) {
        return currentUser();
    }

    /** The decision for the user of this thread's Spring Security context. */
    Authentication currentUser() {
        org.springframework.security.core.Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user == null || !user.isAuthenticated() || user instanceof AnonymousAuthenticationToken) {
            return allowAnonymous ? Authentication.accept()
                    : Authentication.refuse(401, "log in to chat: anonymous chat is not allowed here");
        }
        Set<String> roles = user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()).toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        Identity identity = new Identity(user.getName(), roles, Map.of());
        try {
            return Authentication.acceptAs(user.getName(), identity);
        } catch (IllegalArgumentException notANickname) {
            // A name no nickname may be (an e-mail address, say): the user is known, the nickname free.
            return Authentication.accept(identity);
        }
    }
}
