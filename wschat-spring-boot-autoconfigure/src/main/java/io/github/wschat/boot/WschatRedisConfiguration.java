package io.github.wschat.boot;

import io.github.wschat.broker.Broker;
import io.github.wschat.broker.redis.RedisBroker;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code io.github.wschat:chat-broker-redis} on the class path and {@code wschat.redis.uri} set,
 * and no {@link Broker} bean of the application's: the chat is a node of a cluster on that Redis.
 * The broker is closed after the chat server (which depends on it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.github.wschat.broker.redis.RedisBroker")
@ConditionalOnProperty(prefix = "wschat.redis", name = "uri")
class WschatRedisConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Broker.class)
    RedisBroker wschatRedisBroker(WschatProperties properties) {
        WschatProperties.Redis redis = properties.getRedis();
        RedisBroker.Builder builder = RedisBroker.builder(redis.getUri());
        ChatServerSettings.set("wschat.redis.lease", redis.getLease(), () -> builder.lease(redis.getLease()));
        return builder.build();
    }
}
