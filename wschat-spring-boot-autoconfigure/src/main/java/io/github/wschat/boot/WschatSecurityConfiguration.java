package io.github.wschat.boot;

import io.github.wschat.server.HandshakeAuthenticator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * With Spring Security's web support on the class path (its filters are what put the user in the
 * request's context) and no {@link HandshakeAuthenticator} bean of the application's: the member is the
 * authenticated user of the upgrade request, and an anonymous one is refused with 401 unless
 * {@code wschat.security.allow-anonymous} (see {@link PrincipalAuthenticator}). With the chat on a port
 * of its own, the upgrade request passes no security filters: the user comes with a ticket the
 * application's port issued behind them ({@link TicketAuthenticator}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {WschatSecurityConfiguration.CONTEXT_HOLDER, WschatSecurityConfiguration.FILTER_CHAIN})
class WschatSecurityConfiguration {

    static final String CONTEXT_HOLDER = "org.springframework.security.core.context.SecurityContextHolder";
    static final String FILTER_CHAIN = "org.springframework.security.web.SecurityFilterChain";

    @Bean
    @ConditionalOnMissingBean(HandshakeAuthenticator.class)
    HandshakeAuthenticator wschatPrincipalAuthenticator(WschatProperties properties, ObjectProvider<ChatTickets> tickets) {
        boolean allowAnonymous = properties.getSecurity().isAllowAnonymous();
        return properties.mounted() ? new PrincipalAuthenticator(allowAnonymous)
                : new TicketAuthenticator(tickets.getObject(), allowAnonymous, properties.getPath() + " on the application's port");
    }

    /** Whether Spring Security's web support is on the class path. */
    static boolean present(ClassLoader loader) {
        return ClassUtils.isPresent(CONTEXT_HOLDER, loader) && ClassUtils.isPresent(FILTER_CHAIN, loader);
    }
}
