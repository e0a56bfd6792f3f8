package io.github.wschat.boot;

import io.github.wschat.server.HandshakeAuthenticator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Spring Security's web support on the class path (its filters are what put the user in the
 * request's context) and no {@link HandshakeAuthenticator} bean of the
 * application's: the member is the authenticated user of the upgrade request, and an anonymous one is
 * refused with 401 unless {@code wschat.security.allow-anonymous} (see {@link PrincipalAuthenticator}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"org.springframework.security.core.context.SecurityContextHolder",
        "org.springframework.security.web.SecurityFilterChain"})
class WschatSecurityConfiguration {

    @Bean
    @ConditionalOnMissingBean(HandshakeAuthenticator.class)
    HandshakeAuthenticator wschatPrincipalAuthenticator(WschatProperties properties) {
        return new PrincipalAuthenticator(properties.getSecurity().isAllowAnonymous());
    }
}
