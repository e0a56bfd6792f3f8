package io.github.wschat.boot;

import io.github.wschat.broker.Broker;
import io.github.wschat.broker.redis.RedisBroker;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * With {@code io.github.wschat:chat-broker-redis} on the class path and no {@link Broker} bean of the
 * application's: the chat is a node of a cluster on {@code wschat.redis.uri}, or, without it, on the
 * Redis that Boot's own connection details name where the application configured Spring Data Redis
 * ({@code spring.data.redis.*}; see {@link BootRedis}). The broker is closed after the chat server (which depends on it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.github.wschat.broker.redis.RedisBroker")
@Conditional(WschatRedisConfiguration.RedisNamed.class)
class WschatRedisConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Broker.class)
    RedisBroker wschatRedisBroker(WschatProperties properties, ListableBeanFactory beans) {
        WschatProperties.Redis redis = properties.getRedis();
        String uri = redis.getUri() != null ? redis.getUri() : BootRedis.uri(beans);
        RedisBroker.Builder builder = RedisBroker.builder(uri);
        ChatServerSettings.set("wschat.redis.lease", redis.getLease(), () -> builder.lease(redis.getLease()));
        ChatServerSettings.set("wschat.redis.room-retention", redis.getRoomRetention(),
                () -> builder.roomRetention(redis.getRoomRetention()));
        ChatServerSettings.set("wschat.redis.stream-bytes", redis.getStreamBytes(),
                () -> builder.streamBytes(redis.getStreamBytes().toBytes()));
        return builder.build();
    }

    /** A Redis is named: {@code wschat.redis.uri}, or Boot's connection details (Boot 4's or Boot 3's). */
    static final class RedisNamed extends AnyNestedCondition {

        RedisNamed() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "wschat.redis", name = "uri")
        static class Uri {
        }

        @Conditional(SpringDataRedisConfigured.class)
        static class SpringDataRedis {
        }
    }

    /**
     * The application configured Spring Data Redis itself ({@code spring.data.redis.*} properties, from
     * any source) and Boot's connection details are there: Boot's own Redis is meant to be used. Without
     * such a property the details are Boot's defaults (localhost:6379), which no application chose.
     */
    static final class SpringDataRedisConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ClassLoader loader = context.getClassLoader();
            if (!ClassUtils.isPresent(BootRedis.BOOT4, loader) && !ClassUtils.isPresent(BootRedis.BOOT3, loader)) {
                return ConditionOutcome.noMatch("no Spring Boot Redis connection details");
            }
            boolean configured = Binder.get(context.getEnvironment())
                    .bind("spring.data.redis", Bindable.mapOf(String.class, Object.class)).isBound();
            return configured ? ConditionOutcome.match("spring.data.redis.* is set")
                    : ConditionOutcome.noMatch("no spring.data.redis.* property");
        }
    }
}
