package io.github.wschat.auth.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.github.wschat.Handshake;
import io.github.wschat.app.Identity;
import io.github.wschat.server.Authentication;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Each kind of token a backend may send, good and bad, with its outcome. */
class JwtAuthenticatorTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private static Handshake withToken(String token) {
        return Handshake.of("/chat?token=" + token, Map.of(), CLIENT);
    }

    private final JwtAuthenticator hs256 = JwtAuthenticator.builder().hmacSecret(Tokens.SECRET).issuer("https://backend")
            .audience("chat").clockSkew(Duration.ofSeconds(5)).build();

    private static String good(String sub) {
        return Tokens.hs256(Tokens.with(sub, c -> c.issuer("https://backend").audience("chat")));
    }

    @Test
    void aGoodHs256TokenNamesTheMemberWithRolesNicknameAttributesAndExpiry() {
        String token = Tokens.hs256(Tokens.with("u-42", c -> c.issuer("https://backend").audience("chat")
                .claim("name", "Alice Smith").claim("roles", "operator member").claim("plan", "pro")));
        Authentication decision = hs256.authenticate(withToken(token));
        assertTrue(decision.accepted(), decision.reason());
        assertEquals(Optional.of("Alice_Smith"), decision.nickname(), "the name, in the nickname rule");
        assertEquals("u-42", decision.identity().id());
        assertEquals(Set.of("operator", "member"), decision.identity().roles());
        assertEquals(Optional.of("pro"), decision.identity().attribute("plan"));
        assertTrue(decision.expiresAt().isPresent());
    }

    @Test
    void eachBadTokenIsRefusedWith401AndAReasonThatNamesTheCheckAndNothingSecret() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("expired", Tokens.hs256(Tokens.with("u", c -> c.issuer("https://backend").audience("chat")
                .expirationTime(new Date(System.currentTimeMillis() - 60_000)))));
        cases.put("wrong audience (aud)", Tokens.hs256(Tokens.with("u", c -> c.issuer("https://backend").audience("other"))));
        cases.put("wrong issuer (iss)", Tokens.hs256(Tokens.with("u", c -> c.issuer("https://evil").audience("chat"))));
        cases.put("not yet valid (nbf)", Tokens.hs256(Tokens.with("u", c -> c.issuer("https://backend").audience("chat")
                .notBeforeTime(new Date(System.currentTimeMillis() + 60_000)))));
        cases.put("bad signature, or signed by an unknown key or algorithm", Tokens.hs256(
                Tokens.with("u", c -> c.issuer("https://backend").audience("chat")), "another secret of thirty-two bytes or more"));
        cases.put("bad signature, or signed by an unknown key or algorithm (alg: none)",
                Tokens.none(Tokens.with("u", c -> c.issuer("https://backend").audience("chat"))));
        cases.put("not a JWT", "not.a.jwt");
        cases.forEach((why, token) -> {
            Authentication decision = hs256.authenticate(withToken(token));
            assertFalse(decision.accepted(), why);
            assertEquals(401, decision.status(), why);
            String expected = "invalid token: " + why.replace(" (alg: none)", "");
            if (why.equals("not a JWT")) {
                assertTrue(decision.reason().startsWith("invalid token: "), decision.reason());
            } else {
                assertEquals(expected, decision.reason(), why);
            }
            assertFalse(decision.reason().contains(Tokens.SECRET) || decision.reason().contains(token), why);
        });
        Authentication none = hs256.authenticate(Handshake.of("/chat", Map.of(), CLIENT));
        assertEquals(401, none.status());
        assertTrue(none.reason().startsWith("a token is required"), none.reason());
    }

    @Test
    void aTokenInTheOfferedSubprotocolsIsReadLikeOneInTheQuery() {
        Handshake handshake = Handshake.of("/chat", Map.of("Sec-WebSocket-Protocol",
                List.of("wschat.v1.json, " + JwtAuthenticator.SUBPROTOCOL_PREFIX + good("bob"))), CLIENT);
        Authentication decision = hs256.authenticate(handshake);
        assertTrue(decision.accepted(), decision.reason());
        assertEquals("bob", decision.identity().id());
    }

    @Test
    void aRefreshAcceptsAFreshTokenAndRefusesABadOne() {
        Authentication fresh = hs256.refresh(Identity.of("bob"), good("bob"));
        assertTrue(fresh.accepted() && fresh.expiresAt().isPresent());
        assertFalse(hs256.refresh(Identity.of("bob"), "garbage").accepted());
    }

    @Test
    void rs256AndEs256ByAJwksServedOverHttpAndAKeyRotatedInIsFetchedOnItsFirstUse() throws Exception {
        RSAKey first = Tokens.rsaKey("k1");
        RSAKey rotated = Tokens.rsaKey("k2");
        com.nimbusds.jose.jwk.ECKey ec = Tokens.ecKey("e1");
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(List.of(first.toPublicJWK(), ec.toPublicJWK())));
        AtomicInteger fetches = new AtomicInteger();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            paths.add(exchange.getRequestURI().getPath());
            byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            JwtAuthenticator jwks = JwtAuthenticator.builder()
                    .jwks(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json")).build();
            assertTrue(jwks.authenticate(withToken(Tokens.rs256(first, Tokens.with("ann", c -> c)))).accepted());
            assertTrue(jwks.authenticate(withToken(Tokens.es256(ec, Tokens.with("cy", c -> c)))).accepted(), "ES256");
            assertEquals(1, fetches.get(), "fetched once, then cached");

            Authentication unknown = jwks.authenticate(withToken(Tokens.rs256(rotated, Tokens.with("bob", c -> c))));
            assertFalse(unknown.accepted(), "a key not in the set");
            assertEquals(401, unknown.status());

            // The backend rotates: its new key is published. The next token signed with it is accepted,
            // once the set may be fetched again (an unknown kid fetches at most every 30 s).
            published.set(new JWKSet(List.of(first.toPublicJWK(), rotated.toPublicJWK())));
            JwtAuthenticator fresh = JwtAuthenticator.builder()
                    .jwks(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json")).build();
            assertTrue(fresh.authenticate(withToken(Tokens.rs256(first, Tokens.with("ann", c -> c)))).accepted());
            int before = fetches.get();
            published.set(new JWKSet(List.of(first.toPublicJWK(), rotated.toPublicJWK(), Tokens.rsaKey("k3").toPublicJWK())));
            RSAKey third = Tokens.rsaKey("k4");
            published.set(new JWKSet(List.of(first.toPublicJWK(), third.toPublicJWK())));
            Authentication rotatedIn = fresh.authenticate(withToken(Tokens.rs256(third, Tokens.with("dee", c -> c))));
            assertTrue(rotatedIn.accepted(), "an unknown kid fetches the set again: " + rotatedIn.reason());
            assertEquals(before + 1, fetches.get(), "one fetch, for the unknown kid");
            assertTrue(paths.stream().allMatch("/jwks.json"::equals));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPemPublicKeyAcceptsItsTokensAndTheBuilderRefusesTwoKindsOfKey() throws Exception {
        RSAKey key = Tokens.rsaKey("pem");
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        JwtAuthenticator byPem = JwtAuthenticator.builder().publicKeyPem(pem).build();
        assertTrue(byPem.authenticate(withToken(Tokens.rs256(key, Tokens.with("ann", c -> c)))).accepted());
        assertFalse(byPem.authenticate(withToken(Tokens.hs256("ann", Duration.ofMinutes(1)))).accepted(),
                "an HMAC token where a public key is configured: the algorithm is refused");
        assertThrows(IllegalStateException.class, () -> JwtAuthenticator.builder().publicKeyPem(pem).hmacSecret(Tokens.SECRET));
        assertThrows(IllegalArgumentException.class, () -> JwtAuthenticator.builder().hmacSecret("short"));
        assertThrows(IllegalStateException.class, () -> JwtAuthenticator.builder().build());
    }
}
