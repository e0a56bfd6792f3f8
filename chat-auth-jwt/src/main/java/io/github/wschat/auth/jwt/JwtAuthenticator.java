package io.github.wschat.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.wschat.Handshake;
import io.github.wschat.app.Identity;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.HandshakeAuthenticator;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a handshake that carries a valid JSON Web Token, signed by the application's backend (in
 * any language): the member's {@link Identity} is the token's {@code sub}, its roles a claim
 * (default {@code roles}), its nickname a claim (default {@code name}, else {@code sub}), its other
 * claims attributes. Built on Nimbus JOSE + JWT, the library Spring Security's resource server uses.
 *
 * <pre>{@code
 * ChatServer.builder()
 *         .authenticator(JwtAuthenticator.builder()
 *                 .jwks(URI.create("https://auth.example.com/.well-known/jwks.json"))
 *                 .issuer("https://auth.example.com/")
 *                 .audience("chat")
 *                 .build())
 * }</pre>
 *
 * <h2>Keys</h2>
 * One of: a shared secret ({@link Builder#hmacSecret}: HS256, HS384, HS512; at least 32 bytes); a
 * public key ({@link Builder#publicKey}, {@link Builder#publicKeyPem}: RS256/384/512, PS256/384/512 for
 * RSA, ES256/384/512 for EC); or a JWKS URL ({@link Builder#jwks}: fetched when first needed, cached,
 * fetched again — at most once in {@value #JWKS_RATE_LIMIT_SECONDS} seconds — when a token names a key
 * id the cache does not hold, so a backend can rotate its keys). A token signed otherwise, or with
 * {@code alg: none}, is refused.
 *
 * <h2>Claims</h2>
 * {@code sub} and {@code exp} are required; {@code exp} and {@code nbf} are checked with a clock skew
 * (default 60 s); {@code iss} and {@code aud} where the builder names them. The nickname follows the
 * chat's rule (1–32 of {@code A-Z a-z 0-9 . _ -}): other characters become {@code _}, and where nothing
 * is left the member gets a random {@code user-N}; roles are a JSON array of strings or one string of
 * names separated by spaces (as OAuth's {@code scope}).
 *
 * <h2>Where the token is</h2>
 * In the query, {@code ?token=JWT}; or, where a browser cannot put it in the URL (it would be logged by
 * proxies), as one of the subprotocols the client offers, {@value #SUBPROTOCOL_PREFIX}{@code JWT},
 * beside a wire format's (a browser fails a handshake whose answer names none of those it offered, so
 * offer {@code wschat.v1.json} with it): {@code new WebSocket(url, ["wschat.v1.json", "wschat.token." + jwt])}.
 *
 * <h2>Refusals and expiry</h2>
 * A handshake without a token, or with one that fails a check, is refused with 401 and a reason that
 * names the check (expired, signature, audience…) and never the token or a key. A member connected with
 * a token is closed with {@link io.github.wschat.CloseCodes#EXPIRED} (4401) when the token expires
 * ({@code exp} plus the clock skew), unless it sent a fresh one for the same {@code sub} before: {@code {"type":"refresh","token":JWT,"id":…}}
 * (answered with an {@code ack}, or an {@code error} that says why not).
 *
 * <p>Immutable and thread-safe. A JWKS fetch runs on the transport thread of the handshake that needs
 * it, bounded by the connect and read timeouts (2 s each).
 */
public final class JwtAuthenticator implements HandshakeAuthenticator {

    /** The query parameter that carries the token. */
    public static final String QUERY = "token";
    /** How an offered subprotocol carries the token: this prefix, then the token. */
    public static final String SUBPROTOCOL_PREFIX = "wschat.token.";
    /** How often, at most, the JWKS is fetched again for an unknown key id. */
    public static final int JWKS_RATE_LIMIT_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);
    private static final Pattern NOT_IN_A_NICKNAME = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String rolesClaim;
    private final String nameClaim;
    private final Duration clockSkew;

    private JwtAuthenticator(Builder builder) {
        this.rolesClaim = builder.rolesClaim;
        this.nameClaim = builder.nameClaim;
        this.clockSkew = builder.clockSkew;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(builder.selector);
        Set<String> required = new HashSet<>(Set.of("sub", "exp"));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        builder.issuer.ifPresent(issuer -> {
            exact.issuer(issuer);
            required.add("iss");
        });
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                builder.audience.map(Set::of).orElse(null), exact.build(), required, Set.of());
        claims.setMaxClockSkew((int) builder.clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * @return a builder; give it exactly one of a secret, a public key or a JWKS URL
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Authentication authenticate(Handshake handshake) {
        Optional<String> token = tokenOf(handshake);
        if (token.isEmpty()) {
            return Authentication.refuse(401, "a token is required: ?" + QUERY + "= or the subprotocol "
                    + SUBPROTOCOL_PREFIX + "…");
        }
        return check(token.get());
    }

    /** Accepts a fresh token of the same user; see the class's "Refusals and expiry". */
    @Override
    public Authentication refresh(Identity identity, String credential) {
        return check(credential);
    }

    /** The token of a handshake: its query's, else the first subprotocol that carries one. */
    static Optional<String> tokenOf(Handshake handshake) {
        Optional<String> query = handshake.queryParameter(QUERY).filter(t -> !t.isEmpty());
        if (query.isPresent()) {
            return query;
        }
        for (String offered : handshake.offeredSubprotocols()) {
            if (offered.startsWith(SUBPROTOCOL_PREFIX) && offered.length() > SUBPROTOCOL_PREFIX.length()) {
                return Optional.of(offered.substring(SUBPROTOCOL_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    private Authentication check(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            return refused("not a JWT", e);
        } catch (BadJWTException e) {
            return refused(claimProblem(e.getMessage()), e);
        } catch (BadJOSEException e) {
            return refused("bad signature, or signed by an unknown key or algorithm", e);
        } catch (JOSEException e) {
            return refused("the signature could not be checked", e);
        }
        Identity identity = new Identity(claims.getSubject(), rolesOf(claims), attributesOf(claims));
        Optional<String> nickname = nicknameOf(claims);
        Authentication accepted = nickname.isPresent() ? Authentication.acceptAs(nickname.get(), identity)
                : Authentication.accept(identity);
        // Expired as the handshake's check would find it: at exp, plus the skew the clocks may have.
        return accepted.expiringAt(claims.getExpirationTime().toInstant().plus(clockSkew));
    }

    private static Authentication refused(String why, Exception e) {
        log.debug("Refused a token: {}", e.toString());
        return Authentication.refuse(401, "invalid token: " + why);
    }

    /** Which claim check failed, in words that name the check and never a value. */
    private static String claimProblem(String message) {
        String m = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("expired")) {
            return "expired";
        }
        if (m.contains("before use")) {
            return "not yet valid (nbf)";
        }
        if (m.contains(" aud ")) {
            return "wrong audience (aud)";
        }
        if (m.contains(" iss ")) {
            return "wrong issuer (iss)";
        }
        if (m.contains("missing")) {
            return "a required claim (sub, exp) is missing";
        }
        return "its claims were rejected";
    }

    private Set<String> rolesOf(JWTClaimsSet claims) {
        Object value = claims.getClaim(rolesClaim);
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof Collection<?> list) {
            list.forEach(role -> roles.add(String.valueOf(role)));
        } else if (value instanceof String spaced) {
            for (String role : spaced.trim().split("\\s+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }

    private Map<String, String> attributesOf(JWTClaimsSet claims) {
        Map<String, String> attributes = new HashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (value != null && !REGISTERED.contains(name) && !name.equals(rolesClaim)
                    && (value instanceof String || value instanceof Number || value instanceof Boolean)) {
                attributes.put(name, value.toString());
            }
        });
        return attributes;
    }

    private Optional<String> nicknameOf(JWTClaimsSet claims) {
        Object named = claims.getClaim(nameClaim);
        String wanted = named instanceof String s && !s.isBlank() ? s : claims.getSubject();
        String nick = NOT_IN_A_NICKNAME.matcher(wanted.strip()).replaceAll("_");
        if (nick.length() > 32) {
            nick = nick.substring(0, 32);
        }
        return nick.isEmpty() || nick.chars().allMatch(c -> c == '_') ? Optional.empty() : Optional.of(nick);
    }

    /** Settings of a {@link JwtAuthenticator}. Not thread-safe. */
    public static final class Builder {

        private JWSKeySelector<SecurityContext> selector;
        private Optional<String> issuer = Optional.empty();
        private Optional<String> audience = Optional.empty();
        private Duration clockSkew = Duration.ofSeconds(60);
        private String rolesClaim = "roles";
        private String nameClaim = "name";

        private Builder() {
        }

        /**
         * Tokens signed with HMAC (HS256, HS384, HS512) and this shared secret.
         *
         * @param secret the secret, at least 32 bytes (256 bits, as RFC 7518 requires for HS256)
         * @return this builder
         * @throws IllegalArgumentException if it is shorter
         */
        public Builder hmacSecret(byte[] secret) {
            if (secret.length < 32) {
                throw new IllegalArgumentException("an HMAC secret has at least 32 bytes, not " + secret.length);
            }
            return only(new javax.crypto.spec.SecretKeySpec(secret.clone(), "HmacSHA256"), Set.of(JWSAlgorithm.HS256,
                    JWSAlgorithm.HS384, JWSAlgorithm.HS512));
        }

        /**
         * As {@link #hmacSecret(byte[])}, with the secret's UTF-8 bytes.
         *
         * @param secret the secret, at least 32 bytes
         * @return this builder
         */
        public Builder hmacSecret(String secret) {
            return hmacSecret(secret.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Tokens signed with the private half of this key: RSA (RS256/384/512, PS256/384/512) or EC
         * (ES256/384/512).
         *
         * @param key the public key
         * @return this builder
         * @throws IllegalArgumentException if it is neither RSA nor EC
         */
        public Builder publicKey(PublicKey key) {
            if (key instanceof RSAPublicKey) {
                return only(key, JWSAlgorithm.Family.RSA);
            }
            if (key instanceof ECPublicKey) {
                return only(key, JWSAlgorithm.Family.EC);
            }
            throw new IllegalArgumentException("an RSA or EC public key, not " + key.getAlgorithm());
        }

        /** One key, whatever key id a token names, for the algorithms given. */
        private Builder only(java.security.Key key, Set<JWSAlgorithm> algs) {
            Set<JWSAlgorithm> allowed = Set.copyOf(algs);
            List<java.security.Key> theKey = List.of(key);
            return selector((header, context) -> allowed.contains(header.getAlgorithm()) ? theKey : List.of());
        }

        /**
         * As {@link #publicKey(PublicKey)}, from a PEM {@code -----BEGIN PUBLIC KEY-----} block (X.509
         * SubjectPublicKeyInfo, as {@code openssl pkey -pubout} writes it).
         *
         * @param pem the PEM text
         * @return this builder
         * @throws IllegalArgumentException if it holds no RSA or EC public key
         */
        public Builder publicKeyPem(String pem) {
            String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            byte[] der;
            try {
                der = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a PEM public key", e);
            }
            for (String algorithm : List.of("RSA", "EC")) {
                try {
                    return publicKey(KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
                } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                    // the other algorithm
                }
            }
            throw new IllegalArgumentException("the PEM holds no RSA or EC public key");
        }

        /**
         * Tokens signed by a key of the JSON Web Key Set at this URL (RSA or EC keys): fetched when first
         * needed, cached, and fetched again for a key id it does not hold (at most every
         * {@value JwtAuthenticator#JWKS_RATE_LIMIT_SECONDS} s).
         *
         * @param url the JWKS URL, {@code https:} (or {@code http:} on a trusted network)
         * @return this builder
         * @throws IllegalArgumentException if it is not a URL
         */
        public Builder jwks(URI url) {
            JWKSource<SecurityContext> source;
            try {
                source = JWKSourceBuilder.<SecurityContext>create(url.toURL(),
                                new com.nimbusds.jose.util.DefaultResourceRetriever(2_000, 2_000, 512 * 1024))
                        .cache(Duration.ofMinutes(5).toMillis(), Duration.ofSeconds(15).toMillis())
                        .rateLimited(JWKS_RATE_LIMIT_SECONDS * 1000L)
                        .retrying(true)
                        .build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("not a JWKS URL: " + url, e);
            }
            Set<JWSAlgorithm> algs = new HashSet<>(JWSAlgorithm.Family.RSA);
            algs.addAll(JWSAlgorithm.Family.EC);
            return selector(new JWSVerificationKeySelector<>(algs, source));
        }

        private Builder selector(JWSKeySelector<SecurityContext> chosen) {
            if (selector != null) {
                throw new IllegalStateException("one of a secret, a public key or a JWKS URL, not two");
            }
            this.selector = chosen;
            return this;
        }

        /**
         * @param issuer the {@code iss} every token must have; default: not checked
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = Optional.of(Objects.requireNonNull(issuer, "issuer"));
            return this;
        }

        /**
         * @param audience a value every token's {@code aud} must hold; default: not checked
         * @return this builder
         */
        public Builder audience(String audience) {
            this.audience = Optional.of(Objects.requireNonNull(audience, "audience"));
            return this;
        }

        /**
         * @param skew how far the clocks of the token's signer and this server may differ, for
         *     {@code exp} and {@code nbf}; default 60 s
         * @return this builder
         */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative()) {
                throw new IllegalArgumentException("a negative clock skew: " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /**
         * @param claim the claim that holds the member's roles; default {@code roles}
         * @return this builder
         */
        public Builder rolesClaim(String claim) {
            this.rolesClaim = Objects.requireNonNull(claim, "claim");
            return this;
        }

        /**
         * @param claim the claim that holds the member's nickname; default {@code name} (else {@code sub})
         * @return this builder
         */
        public Builder nameClaim(String claim) {
            this.nameClaim = Objects.requireNonNull(claim, "claim");
            return this;
        }

        /**
         * @return the authenticator
         * @throws IllegalStateException if no key was given
         */
        public JwtAuthenticator build() {
            if (selector == null) {
                throw new IllegalStateException("give a secret, a public key or a JWKS URL");
            }
            return new JwtAuthenticator(this);
        }
    }
}
