package io.github.wschat.broker.redis;

import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Sanctions;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;

import java.util.Optional;

/**
 * Bans and mutes every node shares: {@code P:sanction:{key}} holds {@code until\nreason} and expires
 * when the sanction ends, so Redis forgets it by itself. Thread-safe.
 */
final class RedisSanctions implements Sanctions {

    private final RedisLink connection;
    private final RoomKeys keys;

    RedisSanctions(RedisLink connection, RoomKeys keys) {
        this.connection = connection;
        this.keys = keys;
    }

    @Override
    public void impose(String key, long untilMillis, String reason) {
        long ttl = untilMillis - System.currentTimeMillis();
        try {
            if (ttl <= 0) {
                connection.sync().del(keys.sanction(key));
            } else {
                connection.sync().set(keys.sanction(key), untilMillis + "\n" + reason, SetArgs.Builder.px(ttl));
            }
        } catch (RedisException e) {
            throw new BrokerUnavailableException("Redis did not answer: impose " + key, e);
        }
    }

    @Override
    public void lift(String key) {
        try {
            connection.sync().del(keys.sanction(key));
        } catch (RedisException e) {
            throw new BrokerUnavailableException("Redis did not answer: lift " + key, e);
        }
    }

    @Override
    public Optional<Sanction> find(String key) {
        String value;
        try {
            value = connection.sync().get(keys.sanction(key));
        } catch (RedisException e) {
            throw new BrokerUnavailableException("Redis did not answer: find " + key, e);
        }
        if (value == null) {
            return Optional.empty();
        }
        int newline = value.indexOf('\n');
        long until = Long.parseLong(value.substring(0, newline));
        return until <= System.currentTimeMillis() ? Optional.empty()
                : Optional.of(new Sanction(until, value.substring(newline + 1)));
    }
}
