package io.github.wschat.boot;

import io.github.wschat.app.ChatListener;
import io.github.wschat.app.JoinHook;
import io.github.wschat.app.LineFilter;
import io.github.wschat.broker.Broker;
import io.github.wschat.server.ChatServer;
import io.github.wschat.server.HandshakeAuthenticator;
import io.github.wschat.spi.Transport;
import io.github.wschat.transport.jakarta.JakartaTransport;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The chat in a servlet Spring Boot application: a {@link ChatServer} on the application's own port,
 * mounted at {@code /chat} (rooms at {@code /chat/NAME}) through the Jakarta WebSocket transport,
 * configured by {@link WschatProperties} ({@code wschat.*}), and closed with the application, its
 * clients told 1001 before the web server's graceful shutdown begins.
 *
 * <p>Every part is the application's where it has one: a bean of type {@link Transport} replaces the
 * mounted Jakarta transport (a Netty transport on a port of its own, say), a {@link Broker} bean
 * replaces the in-process broker (and {@code wschat.redis.uri}), a {@link HandshakeAuthenticator}
 * bean decides who may join, a {@link ChatServer} bean replaces all of this. Every
 * {@link JoinHook}, {@link LineFilter} and {@link ChatListener} bean is added, in
 * {@link org.springframework.core.annotation.Order @Order}; a {@link MeterRegistry} bean gets the
 * chat's meters.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ChatServer.class, JakartaTransport.class, ServerContainer.class})
@ConditionalOnProperty(prefix = "wschat", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(WschatProperties.class)
@Import({WschatRedisConfiguration.class, WschatSecurityConfiguration.class})
public class WschatAutoConfiguration {

    /** Creates the configuration; Spring does. */
    public WschatAutoConfiguration() {
    }

    /**
     * The transport, its mount, the chat server and its early close; the application's own
     * {@link ChatServer} bean replaces them all.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ChatServer.class)
    static class ChatServerConfiguration {

        /**
         * The Jakarta transport, mounted at {@code /chat} and {@code /chat/*}.
         *
         * @return the transport
         */
        @Bean
        @ConditionalOnMissingBean(Transport.class)
        JakartaTransport wschatTransport() {
            return JakartaTransport.create();
        }

        /**
         * Mounts a Jakarta transport while the web application starts, as servlets must be; another
         * transport needs no mount.
         *
         * @param transport the chat's transport
         * @return the initializer
         */
        @Bean
        ServletContextInitializer wschatMount(ObjectProvider<Transport> transport) {
            return context -> {
                if (transport.getIfUnique() instanceof JakartaTransport jakarta) {
                    jakarta.mount(context);
                }
            };
        }

        /**
         * The chat server, started.
         *
         * @param properties {@code wschat.*}
         * @param transport the transport
         * @param broker the application's broker, if any
         * @param authenticator the application's authenticator, if any
         * @param joinHooks the application's join hooks
         * @param lineFilters the application's line filters
         * @param listeners the application's listeners
         * @param registry the application's meter registry, if any
         * @return the started server
         * @throws IOException if the transport cannot start
         */
        @Bean(destroyMethod = "close")
        ChatServer wschatServer(WschatProperties properties, Transport transport, ObjectProvider<Broker> broker,
                ObjectProvider<HandshakeAuthenticator> authenticator, ObjectProvider<JoinHook> joinHooks,
                ObjectProvider<LineFilter> lineFilters, ObjectProvider<ChatListener> listeners,
                ObjectProvider<MeterRegistry> registry) throws IOException {
            ChatServer.Builder builder = ChatServerSettings.apply(properties,
                    ChatServer.builder().transport(transport));
            broker.ifUnique(builder::broker);
            authenticator.ifUnique(builder::authenticator);
            joinHooks.orderedStream().forEach(builder::joinHook);
            lineFilters.orderedStream().forEach(builder::lineFilter);
            listeners.orderedStream().forEach(builder::listener);
            registry.ifUnique(builder::meterRegistry);
            return builder.start();
        }

        /**
         * Closes the chat first when the application stops: its clients get 1001 before the web server
         * stops taking requests or waits for those in flight.
         *
         * @param chat the chat server
         * @return the lifecycle
         */
        @Bean
        SmartLifecycle wschatShutdown(ChatServer chat) {
            return new ChatShutdown(chat);
        }
    }

    /** Runs with the context; stopping closes the chat, in the first phase to stop. */
    static final class ChatShutdown implements SmartLifecycle {

        private final ChatServer chat;
        private volatile boolean running;

        ChatShutdown(ChatServer chat) {
            this.chat = chat;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            chat.close();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** The highest phase, so stopped before the web server's graceful shutdown (a lower one). */
        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE;
        }
    }
}
