package io.github.wschat.broker.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One connection to Redis as the broker's parts use it, whether to one Redis (or the master a Sentinel
 * names) or to a Redis Cluster, where each command goes to the node that holds its key's slot. The
 * parts only send commands on one key, or scripts on one room's keys, so the same code runs on both.
 * Thread-safe, as Lettuce's connections are.
 */
final class RedisLink {

    private final Supplier<RedisClusterCommands<String, String>> sync;
    private final Supplier<RedisClusterAsyncCommands<String, String>> async;
    private final BooleanSupplier open;
    private final Runnable close;

    private RedisLink(Supplier<RedisClusterCommands<String, String>> sync,
            Supplier<RedisClusterAsyncCommands<String, String>> async, BooleanSupplier open, Runnable close) {
        this.sync = sync;
        this.async = async;
        this.open = open;
        this.close = close;
    }

    static RedisLink of(StatefulRedisConnection<String, String> connection) {
        return new RedisLink(connection::sync, connection::async, connection::isOpen, connection::close);
    }

    static RedisLink of(StatefulRedisClusterConnection<String, String> connection) {
        return new RedisLink(connection::sync, connection::async, connection::isOpen, connection::close);
    }

    RedisClusterCommands<String, String> sync() {
        return sync.get();
    }

    RedisClusterAsyncCommands<String, String> async() {
        return async.get();
    }

    boolean isOpen() {
        return open.getAsBoolean();
    }

    void close() {
        close.run();
    }
}
