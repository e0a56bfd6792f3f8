package io.github.wschat.boot;

import io.github.wschat.api.HttpJoinHook;
import io.github.wschat.api.HttpLineFilter;
import io.github.wschat.app.AsyncJoinHook;
import io.github.wschat.app.LineFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code wschat.hooks.join-url} and {@code wschat.hooks.line-filter-url} (with io.github.wschat:chat-http-api
 * on the class path): the application's backend, asked over HTTP and signed with {@code
 * wschat.hooks.secret}, decides who enters which room ({@link HttpJoinHook}) and what becomes of each
 * line ({@link HttpLineFilter}). Their beans join the application's own hooks and filters.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HttpJoinHook.class)
class WschatHooksConfiguration {

    @Bean
    @ConditionalOnProperty(name = "wschat.hooks.join-url")
    AsyncJoinHook wschatHttpJoinHook(WschatProperties properties) {
        WschatProperties.Hooks hooks = properties.getHooks();
        HttpJoinHook.Builder builder = HttpJoinHook.to(hooks.getJoinUrl(), secret(hooks)).timeout(hooks.getTimeout());
        return (hooks.isFailOpen() ? builder.failOpen() : builder).build();
    }

    @Bean
    @ConditionalOnProperty(name = "wschat.hooks.line-filter-url")
    LineFilter wschatHttpLineFilter(WschatProperties properties) {
        WschatProperties.Hooks hooks = properties.getHooks();
        HttpLineFilter.Builder builder = HttpLineFilter.to(hooks.getLineFilterUrl(), secret(hooks)).timeout(hooks.getTimeout());
        return (hooks.isFailOpen() ? builder.failOpen() : builder).build();
    }

    private static String secret(WschatProperties.Hooks hooks) {
        if (hooks.getSecret() == null) {
            throw new IllegalStateException("wschat.hooks.*-url needs wschat.hooks.secret (16 characters or more)");
        }
        return hooks.getSecret();
    }
}
