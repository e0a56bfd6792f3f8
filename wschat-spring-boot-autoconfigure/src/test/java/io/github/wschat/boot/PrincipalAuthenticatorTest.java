package io.github.wschat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.Handshake;
import io.github.wschat.server.Authentication;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** The member from Spring Security's user of the request's thread: name, roles, and the anonymous. */
class PrincipalAuthenticatorTest {

    private final Handshake handshake = Handshake.of("/chat?nick=someone", Map.of(),
            new InetSocketAddress("127.0.0.1", 50_000));

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private static void loggedIn(String name, String... authorities) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(name, "",
                AuthorityUtils.createAuthorityList(authorities)));
    }

    @Test
    void theUserIsTheMemberWithItsRoles() {
        loggedIn("alice", "ROLE_OPERATOR", "ROLE_USER", "SCOPE_read");
        Authentication member = new PrincipalAuthenticator(false).authenticate(handshake);
        assertTrue(member.accepted());
        assertEquals(Optional.of("alice"), member.nickname());
        assertEquals("alice", member.identity().id());
        assertEquals(Set.of("operator", "user"), member.identity().roles());
    }

    @Test
    void aNameThatIsNoNicknameKeepsTheIdentityAndLeavesTheNicknameFree() {
        loggedIn("alice@example.com", "ROLE_USER");
        Authentication member = new PrincipalAuthenticator(false).authenticate(handshake);
        assertTrue(member.accepted());
        assertEquals(Optional.empty(), member.nickname());
        assertEquals("alice@example.com", member.identity().id());
    }

    @Test
    void anAnonymousRequestIsRefusedWith401UnlessAnonymousChatIsAllowed() {
        Authentication refused = new PrincipalAuthenticator(false).authenticate(handshake);
        assertFalse(refused.accepted());
        assertEquals(401, refused.status());
        SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
                List.copyOf(AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"))));
        assertEquals(401, new PrincipalAuthenticator(false).authenticate(handshake).status());
        Authentication allowed = new PrincipalAuthenticator(true).authenticate(handshake);
        assertTrue(allowed.accepted());
        assertTrue(allowed.identity().isAnonymous());
    }
}
