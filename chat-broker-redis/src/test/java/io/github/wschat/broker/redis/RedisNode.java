package io.github.wschat.broker.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A plain connection to one Redis process of a test's own, to look at it; and how the tests stop theirs. */
final class RedisNode implements AutoCloseable {

    final RedisClient client;
    final StatefulRedisConnection<String, String> connection;

    RedisNode(int port) {
        client = RedisClient.create("redis://127.0.0.1:" + port);
        connection = client.connect();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ZERO);
    }

    /** Stops the processes a test started (SIGTERM, then SIGKILL after 10 s), by their PIDs. */
    static void stop(List<Process> processes) throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
