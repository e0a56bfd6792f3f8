package io.github.wschat.boot;

import io.github.wschat.app.Identity;
import io.github.wschat.server.Authentication;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who calls the server HTTP API by Spring Security rather than by key: the request's user, if it has
 * the API's role (named as the chat names roles, by {@link PrincipalAuthenticator}: {@code
 * ROLE_OPERATOR} is {@code operator}), as {@code user:NAME}. Loaded only with Spring Security present.
 * Thread-safe and stateless.
 */
final class RoleCallers {

    private RoleCallers() {
    }

    static Function<HttpServletRequest, Optional<String>> withRole(String role) {
        PrincipalAuthenticator users = new PrincipalAuthenticator(false);
        return request -> {
            Authentication user = users.currentUser();
            Identity identity = user.accepted() ? user.identity() : Identity.ANONYMOUS;
            return !identity.isAnonymous() && identity.hasRole(role) ? Optional.of("user:" + identity.id()) : Optional.empty();
        };
    }
}
