package io.github.wschat.server;

import io.github.wschat.broker.Sanctions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One node's bans and mutes, in memory; an ended one is dropped when next asked for. Thread-safe. */
final class LocalSanctions implements Sanctions {

    private final Clock clock;
    private final ConcurrentMap<String, Sanction> sanctions = new ConcurrentHashMap<>();

    LocalSanctions(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void impose(String key, long untilMillis, String reason) {
        sanctions.put(key, new Sanction(untilMillis, reason));
    }

    @Override
    public void lift(String key) {
        sanctions.remove(key);
    }

    /** Whether no sanction is held: then nothing needs looking up (nor its key building). */
    boolean isEmpty() {
        return sanctions.isEmpty();
    }

    @Override
    public Optional<Sanction> find(String key) {
        Sanction sanction = sanctions.get(key);
        if (sanction != null && sanction.untilMillis() <= clock.millis()) {
            sanctions.remove(key, sanction);
            return Optional.empty();
        }
        return Optional.ofNullable(sanction);
    }
}
