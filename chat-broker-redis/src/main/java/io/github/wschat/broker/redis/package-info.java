/**
 * Rooms across several wschat nodes through Redis: {@link io.github.wschat.broker.redis.RedisBroker}
 * is the one public type.
 */
package io.github.wschat.broker.redis;
