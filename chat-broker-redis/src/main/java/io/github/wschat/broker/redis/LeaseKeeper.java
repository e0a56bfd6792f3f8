package io.github.wschat.broker.redis;

import io.github.wschat.broker.BrokerUnavailableException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this node's leases and reaps dead nodes' members every third of a lease, on a thread of its own
 * ({@code wschat-redis-lease}), until stopped. A renewal that fails while Redis is away is tried again
 * at the next turn. Thread-safe.
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ScheduledExecutorService thread;

    LeaseKeeper(RedisRoster roster, Duration lease) {
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "wschat-redis-lease");
            t.setDaemon(true);
            return t;
        });
        long renew = Math.max(1, lease.toMillis() / 3);
        thread.scheduleWithFixedDelay(() -> {
            try {
                roster.renewAndReap();
            } catch (RedisException | BrokerUnavailableException e) {
                log.debug("Could not renew the leases: {}", e.toString());
            } catch (RuntimeException e) {
                log.warn("Renewing the leases failed", e);
            }
        }, renew, renew, TimeUnit.MILLISECONDS);
    }

    /** Stops renewing; a renewal under way is interrupted. */
    void stop() {
        thread.shutdownNow();
    }
}
