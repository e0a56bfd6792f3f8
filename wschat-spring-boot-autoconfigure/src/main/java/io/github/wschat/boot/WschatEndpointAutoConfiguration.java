package io.github.wschat.boot;

import io.github.wschat.server.ChatServer;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** With Actuator on the class path: the {@link WschatEndpoint}, where the application makes it available. */
@AutoConfiguration(after = WschatAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
    "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
@ConditionalOnBean(ChatServer.class)
public class WschatEndpointAutoConfiguration {

    /**
     * @param chat the chat server
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public WschatEndpoint wschatEndpoint(ChatServer chat) {
        return new WschatEndpoint(chat);
    }
}
