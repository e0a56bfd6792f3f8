package io.github.wschat.boot;

import com.google.common.base.Suppliers;
import io.github.wschat.api.ChatApi;
import io.github.wschat.server.ChatServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code wschat.api.enabled=true} (and io.github.wschat:chat-http-api on the class path): the server
 * HTTP API at {@code wschat.api.path} on the application's port, behind the keys of {@code
 * wschat.api.keys.NAME=KEY} and, with Spring Security, for users with {@code wschat.api.role}; and the
 * admin console at {@code wschat.api.path + "/console"}. Off by default.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ChatApi.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "wschat.api.enabled", havingValue = "true")
class WschatApiConfiguration {

    @Bean
    ServletRegistrationBean<ApiServlet> wschatApi(WschatProperties properties, ObjectProvider<ChatServer> chat) {
        WschatProperties.Api settings = properties.getApi();
        String role = settings.getRole() == null || settings.getRole().isBlank() ? null : settings.getRole();
        if (settings.getKeys().isEmpty() && role == null) {
            throw new IllegalStateException("wschat.api.enabled needs at least one key (wschat.api.keys.NAME=KEY) or, "
                    + "with Spring Security, wschat.api.role");
        }
        if (role != null && !WschatSecurityConfiguration.present(WschatApiConfiguration.class.getClassLoader())) {
            throw new IllegalStateException("wschat.api.role needs Spring Security (spring-boot-starter-security)");
        }
        String path = settings.getPath().endsWith("/") ? settings.getPath().substring(0, settings.getPath().length() - 1)
                : settings.getPath();
        // Made at the first request: the chat server starts with the application, after the servlets register.
        ApiServlet servlet = new ApiServlet(Suppliers.memoize(() -> {
            ChatApi.Builder builder = ChatApi.builder(chat.getObject());
            settings.getKeys().forEach(builder::key);
            return (role == null ? builder : builder.callersAuthenticatedByContainer()).build();
        })::get, role == null ? null : RoleCallers.withRole(role), role);
        ServletRegistrationBean<ApiServlet> registration = new ServletRegistrationBean<>(servlet, path + "/*");
        registration.setName("wschat-api");
        return registration;
    }
}
