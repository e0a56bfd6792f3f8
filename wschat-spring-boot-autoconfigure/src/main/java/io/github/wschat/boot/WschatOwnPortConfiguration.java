package io.github.wschat.boot;

import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * With the chat on a port of its own ({@code wschat.transport=netty}): the ticket office at
 * {@code GET /chat} ({@code wschat.path}) on the application's port ({@link TicketServlet}), where pages learn the chat's
 * URL and, with Spring Security, get a one-time ticket for the logged-in user; the chat's port
 * redeems it ({@link TicketAuthenticator}, wired by {@link WschatSecurityConfiguration}). The same
 * security filters decide on both ports, and the chat's port needs no cookies of its own.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(WschatAutoConfiguration.OwnPortTransport.class)
class WschatOwnPortConfiguration {

    @Bean
    ChatTickets wschatTickets() {
        return new ChatTickets(ChatTickets.TIME_TO_LIVE);
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    ServletRegistrationBean<TicketServlet> wschatTicketOffice(WschatProperties properties, ChatTickets tickets,
            ObjectProvider<ChatServer> chat) {
        Supplier<Authentication> asking = WschatSecurityConfiguration.present(getClass().getClassLoader())
                ? new PrincipalAuthenticator(properties.getSecurity().isAllowAnonymous())::currentUser
                : Authentication::accept;
        String path = properties.getPath();
        TicketServlet office = new TicketServlet(tickets, asking, chat::getObject, properties.getPublicUrl(), path);
        ServletRegistrationBean<TicketServlet> registration = new ServletRegistrationBean<>(office, path);
        registration.setName("wschat-tickets");
        return registration;
    }
}
