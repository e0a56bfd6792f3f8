package io.github.wschat.boot;

import io.github.wschat.auth.jwt.JwtAuthenticator;
import io.github.wschat.server.HandshakeAuthenticator;
import java.net.URI;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Without Spring Security, with io.github.wschat:chat-auth-jwt on the class path and one of
 * {@code wschat.security.jwt.secret}, {@code .public-key} and {@code .jwks-uri} set, and no
 * {@link HandshakeAuthenticator} bean of the application's: the member is who a JSON Web Token from the
 * application's backend says ({@link JwtAuthenticator}). With Spring Security, its resource server
 * does that for the upgrade request, and the chat takes its user ({@link WschatSecurityConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.github.wschat.auth.jwt.JwtAuthenticator")
@ConditionalOnMissingClass(WschatSecurityConfiguration.FILTER_CHAIN)
@Conditional(WschatJwtConfiguration.KeyGiven.class)
class WschatJwtConfiguration {

    @Bean
    @ConditionalOnMissingBean(HandshakeAuthenticator.class)
    HandshakeAuthenticator wschatJwtAuthenticator(WschatProperties properties) {
        WschatProperties.Jwt jwt = properties.getSecurity().getJwt();
        int keys = (jwt.getSecret() == null ? 0 : 1) + (jwt.getPublicKey() == null ? 0 : 1)
                + (jwt.getJwksUri() == null ? 0 : 1);
        if (keys != 1) {
            throw new IllegalArgumentException("wschat.security.jwt: set one of secret, public-key and jwks-uri");
        }
        JwtAuthenticator.Builder builder = JwtAuthenticator.builder().clockSkew(jwt.getClockSkew())
                .rolesClaim(jwt.getRolesClaim()).nameClaim(jwt.getNameClaim());
        if (jwt.getSecret() != null) {
            builder.hmacSecret(jwt.getSecret());
        } else if (jwt.getPublicKey() != null) {
            builder.publicKeyPem(jwt.getPublicKey());
        } else {
            builder.jwks(URI.create(jwt.getJwksUri()));
        }
        if (jwt.getIssuer() != null) {
            builder.issuer(jwt.getIssuer());
        }
        if (jwt.getAudience() != null) {
            builder.audience(jwt.getAudience());
        }
        return builder.build();
    }

    /** One of the JWT keys is set. */
    static final class KeyGiven implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var environment = context.getEnvironment();
            return environment.containsProperty("wschat.security.jwt.secret")
                    || environment.containsProperty("wschat.security.jwt.public-key")
                    || environment.containsProperty("wschat.security.jwt.jwks-uri");
        }
    }
}
