package io.github.wschat.boot;

import io.github.wschat.app.ChatListener;
import io.github.wschat.app.AsyncJoinHook;
import io.github.wschat.app.JoinHook;
import io.github.wschat.app.LineFilter;
import io.github.wschat.broker.Broker;
import io.github.wschat.server.ChatServer;
import io.github.wschat.server.HandshakeAuthenticator;
import io.github.wschat.spi.Transport;
import io.github.wschat.transport.jakarta.JakartaTransport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The chat in a Spring Boot application: a {@link ChatServer} configured by {@link WschatProperties}
 * ({@code wschat.*}) and closed with the application, its clients told 1001 before the web server's
 * graceful shutdown begins. By default it is mounted at {@code /chat} (rooms at {@code /chat/NAME}) in
 * the servlet container, on the application's own port, through the Jakarta WebSocket transport;
 * {@code wschat.transport=netty} (with {@code io.github.wschat:chat-transport-netty}) runs it on a port
 * of its own, {@code wschat.port}, with the same beans and the same security (see
 * {@link WschatOwnPortConfiguration}). In an application without a servlet web server and no transport
 * of its own, nothing runs and a line in the log says why.
 *
 * <p>Every part is the application's where it has one: a bean of type {@link Transport} replaces the
 * transport, a {@link Broker} bean replaces the in-process broker (and {@code wschat.redis.uri}), a
 * {@link HandshakeAuthenticator} bean decides who may join, a {@link ChatServer} bean replaces all of
 * this. Every {@link JoinHook}, {@link AsyncJoinHook}, {@link LineFilter} and {@link ChatListener} bean is added, in
 * {@link org.springframework.core.annotation.Order @Order}; a {@link MeterRegistry} bean gets the
 * chat's meters.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration"})
@ConditionalOnClass(ChatServer.class)
@ConditionalOnProperty(prefix = "wschat", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(WschatProperties.class)
@Import({WschatRedisConfiguration.class, WschatSecurityConfiguration.class, WschatJwtConfiguration.class,
        WschatApiConfiguration.class, WschatHooksConfiguration.class,
        WschatHistoryConfiguration.class,
        WschatOwnPortConfiguration.class})
public class WschatAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WschatAutoConfiguration.class);

    /** Creates the configuration; Spring does. */
    public WschatAutoConfiguration() {
    }

    /**
     * The chat server and its early close, where it has a transport: the application's {@link Transport}
     * bean, the Jakarta transport mounted in the servlet container (the default), or one named by
     * {@code wschat.transport} on a port of its own. The application's own {@link ChatServer} bean
     * replaces them all.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ChatServer.class)
    @Conditional(HasTransport.class)
    static class ChatServerConfiguration {

        /**
         * The Jakarta transport, mounted at {@code wschat.path} ({@code /chat}) and the rooms below it.
         *
         * @param properties {@code wschat.*}
         * @return the transport
         */
        @Bean
        @Conditional(MountedTransport.class)
        @ConditionalOnMissingBean(Transport.class)
        JakartaTransport wschatTransport(WschatProperties properties) {
            String path = properties.getPath();
            ChatServerSettings.set("wschat.path", path, () -> ChatServer.builder().path(path));
            JakartaTransport transport = JakartaTransport.at(path, path + "/*");
            transport = properties.isBatching() ? transport.withBatching() : transport;
            // Per member is all a container offers: "dedicated" lets it compress, "shared" cannot be had here.
            return "dedicated".equalsIgnoreCase(properties.getCompression().trim())
                    ? transport.withContainerCompression() : transport;
        }

        /**
         * Mounts a Jakarta transport while the web application starts, as servlets must be; another
         * transport needs no mount.
         *
         * @param transport the chat's transport
         * @return the initializer
         */
        @Bean
        @Conditional(MountedTransport.class)
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
         * @param transport the transport bean, if any: else the one {@code wschat.transport} names
         * @param broker the application's broker, if any
         * @param authenticator the application's authenticator, if any
         * @param joinHooks the application's join hooks
         * @param asyncJoinHooks the application's asynchronous join hooks ({@code wschat.hooks.join-url}'s too)
         * @param lineFilters the application's line filters
         * @param listeners the application's listeners
         * @param registry the application's meter registry, if any
         * @param history the history store ({@code wschat.history-store}, or the application's), if any
         * @param environment where the chat's own port is published, as {@code local.wschat.port}
         * @return the started server
         * @throws IOException if the transport cannot start
         */
        @Bean(destroyMethod = "close")
        ChatServer wschatServer(WschatProperties properties, ObjectProvider<Transport> transport,
                ObjectProvider<Broker> broker, ObjectProvider<HandshakeAuthenticator> authenticator,
                ObjectProvider<JoinHook> joinHooks, ObjectProvider<AsyncJoinHook> asyncJoinHooks,
                ObjectProvider<LineFilter> lineFilters,
                ObjectProvider<ChatListener> listeners, ObjectProvider<MeterRegistry> registry,
                ObjectProvider<io.github.wschat.history.HistoryStore> history,
                ConfigurableEnvironment environment) throws IOException {
            ChatServer.Builder builder = ChatServerSettings.apply(properties, ChatServer.builder());
            Transport bean = transport.getIfUnique();
            boolean ownPort = bean == null;
            if (ownPort) {
                ChatServerSettings.ownPort(properties, builder);
            } else {
                builder.transport(bean);
            }
            broker.ifUnique(builder::broker);
            HandshakeAuthenticator who = authenticator.getIfUnique(() -> HandshakeAuthenticator.ANYONE);
            if (ownPort) {
                // A browser's page comes from the application's port, not the chat's: the origin check
                // moves to the starter's, which knows that (OwnPortOrigins).
                builder.allowedOrigins(List.of("*"));
                who = new OwnPortOrigins(properties.getAllowedOrigins(), who);
            }
            builder.authenticator(who);
            joinHooks.orderedStream().forEach(builder::joinHook);
            asyncJoinHooks.orderedStream().forEach(builder::asyncJoinHook);
            lineFilters.orderedStream().forEach(builder::lineFilter);
            listeners.orderedStream().forEach(builder::listener);
            registry.ifUnique(builder::meterRegistry);
            history.ifUnique(store -> builder.historyStore(store).historyRetention(properties.getHistoryRetention()));
            ChatServer chat = builder.start();
            if (ownPort) {
                environment.getPropertySources().addFirst(new MapPropertySource("wschat.local",
                        Map.of("local.wschat.port", chat.address().getPort())));
                log.info("wschat: the chat runs on {} at {}", chat.transportName(), chat.address());
            }
            return chat;
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

    /**
     * Says why there is no chat where the default mount has no servlet container to go in: an
     * application without a servlet web server, no transport bean and no transport of its own.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ChatServer.class)
    @Conditional(HasNoTransport.class)
    static class NoChatConfiguration {

        @Bean
        Object wschatNotStarted() {
            log.info("wschat: no chat runs: this application has no servlet web server to mount it in (set "
                    + "wschat.transport=netty, with io.github.wschat:chat-transport-netty, to run it on a port of its own)");
            return new Object();
        }
    }

    /**
     * A transport there is: the application's {@link Transport} bean, one of a port of its own that
     * {@code wschat.transport} names, or the mounted one. (Conditions, not the mounted transport's
     * bean: the order in which Spring reads nested configurations is not their order here.)
     */
    static final class HasTransport extends AnyNestedCondition {

        HasTransport() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(Transport.class)
        static class TransportBean {
        }

        @Conditional(OwnPortTransport.class)
        static class OwnPort {
        }

        @Conditional(MountedTransport.class)
        static class Mounted {
        }
    }

    /** No transport: none of {@link HasTransport}'s. */
    static final class HasNoTransport extends NoneNestedConditions {

        HasNoTransport() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @Conditional(HasTransport.class)
        static class AnyTransport {
        }
    }

    /** The default mount: a servlet web application with the Jakarta WebSocket API, and {@code wschat.transport=jakarta}. */
    static final class MountedTransport extends AllNestedConditions {

        MountedTransport() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
        static class Servlet {
        }

        @ConditionalOnClass(name = {"io.github.wschat.transport.jakarta.JakartaTransport",
                "jakarta.websocket.server.ServerContainer"})
        static class Api {
        }

        @ConditionalOnProperty(prefix = "wschat", name = "transport", havingValue = WschatProperties.MOUNTED,
                matchIfMissing = true)
        static class Chosen {
        }
    }

    /** {@code wschat.transport} names a transport of its own port: anything but {@code jakarta}. */
    static final class OwnPortTransport extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String name = context.getEnvironment().getProperty("wschat.transport", WschatProperties.MOUNTED);
            return name.trim().equals(WschatProperties.MOUNTED)
                    ? ConditionOutcome.noMatch("wschat.transport is " + WschatProperties.MOUNTED)
                    : ConditionOutcome.match("wschat.transport is " + name + ", on a port of its own");
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
