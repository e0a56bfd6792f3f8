package io.github.wschat.boot;

import io.github.wschat.broker.Broker;
import io.github.wschat.server.ChatServer;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The chat's health indicator, {@code wschat} in Actuator's health endpoint: UP, OUT_OF_SERVICE while
 * the shared broker cannot place events, DOWN once the chat has stopped (see {@link ChatHealth}).
 * Spring Boot 4 keeps its health API in {@code org.springframework.boot.health}, Spring Boot 3 in
 * {@code org.springframework.boot.actuate.health}: one indicator for each, whichever is present.
 */
@AutoConfiguration(after = WschatAutoConfiguration.class)
@ConditionalOnBean(ChatServer.class)
public class WschatHealthAutoConfiguration {

    /** Creates the configuration; Spring does. */
    public WschatHealthAutoConfiguration() {
    }

    /**
     * The health the indicators report.
     *
     * @param chat the chat server
     * @param broker the broker bean, if the chat has a shared one
     * @return the health, closed with the application
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ChatHealth wschatHealth(ChatServer chat, ObjectProvider<Broker> broker) {
        return new ChatHealth(chat, Optional.ofNullable(broker.getIfUnique()));
    }

    /** Spring Boot 4. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4 {

        @Bean
        @ConditionalOnMissingBean(name = "wschatHealthIndicator")
        org.springframework.boot.health.contributor.HealthIndicator wschatHealthIndicator(ChatHealth health) {
            return () -> {
                org.springframework.boot.health.contributor.Health.Builder builder = switch (health.state()) {
                    case UP -> org.springframework.boot.health.contributor.Health.up();
                    case OUT_OF_SERVICE -> org.springframework.boot.health.contributor.Health.outOfService();
                    case DOWN -> org.springframework.boot.health.contributor.Health.down();
                };
                return builder.withDetails(health.details()).build();
            };
        }
    }

    /**
     * Spring Boot 3, whose health API this module is not compiled against (Boot 4's artifact of the
     * same name would clash): the indicator is a proxy of Boot 3's interface, building its
     * {@code Health} through Boot 3's own builder.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot3 {

        @Bean
        @ConditionalOnMissingBean(name = "wschatHealthIndicator")
        Object wschatHealthIndicator(ChatHealth health, org.springframework.context.ApplicationContext context)
                throws ReflectiveOperationException {
            ClassLoader loader = context.getClassLoader();
            Class<?> indicator = Class.forName("org.springframework.boot.actuate.health.HealthIndicator", true, loader);
            Class<?> healthType = Class.forName("org.springframework.boot.actuate.health.Health", true, loader);
            java.lang.reflect.Method up = healthType.getMethod("up");
            java.lang.reflect.Method outOfService = healthType.getMethod("outOfService");
            java.lang.reflect.Method down = healthType.getMethod("down");
            Class<?> builderType = up.getReturnType();
            java.lang.reflect.Method withDetails = builderType.getMethod("withDetails", java.util.Map.class);
            java.lang.reflect.Method build = builderType.getMethod("build");
            Class<?>[] interfaces = {indicator};
            return java.lang.reflect.Proxy.newProxyInstance(loader, interfaces, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "health":
                        java.lang.reflect.Method start = switch (health.state()) {
                            case UP -> up;
                            case OUT_OF_SERVICE -> outOfService;
                            case DOWN -> down;
                        };
                        return build.invoke(withDetails.invoke(start.invoke(null), health.details()));
                    case "getHealth":
                        // Boot 3's default method, health(includeDetails): details are Boot's to hide.
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    case "toString":
                        return "wschat health indicator (Spring Boot 3)";
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        if (method.isDefault()) {
                            return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                        }
                        throw new UnsupportedOperationException(method.toString());
                }
            });
        }
    }
}
