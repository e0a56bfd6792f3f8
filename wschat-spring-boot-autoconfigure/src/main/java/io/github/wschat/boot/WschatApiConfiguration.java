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
 * wschat.api.keys.NAME=KEY}. Off by default.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ChatApi.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "wschat.api.enabled", havingValue = "true")
class WschatApiConfiguration {

    @Bean
    ServletRegistrationBean<ApiServlet> wschatApi(WschatProperties properties, ObjectProvider<ChatServer> chat) {
        WschatProperties.Api settings = properties.getApi();
        if (settings.getKeys().isEmpty()) {
            throw new IllegalStateException("wschat.api.enabled needs at least one key: wschat.api.keys.NAME=KEY");
        }
        String path = settings.getPath().endsWith("/") ? settings.getPath().substring(0, settings.getPath().length() - 1)
                : settings.getPath();
        // Made at the first request: the chat server starts with the application, after the servlets register.
        ApiServlet servlet = new ApiServlet(Suppliers.memoize(() -> {
            ChatApi.Builder builder = ChatApi.builder(chat.getObject());
            settings.getKeys().forEach(builder::key);
            return builder.build();
        })::get);
        ServletRegistrationBean<ApiServlet> registration = new ServletRegistrationBean<>(servlet, path + "/*");
        registration.setName("wschat-api");
        return registration;
    }
}
