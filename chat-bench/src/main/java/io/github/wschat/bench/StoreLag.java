package io.github.wschat.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How far the history store is behind, read from the database rather than from the server (whose
 * {@code /metrics} would cost it more than the store does): every {@value #EVERY_MILLIS} ms, on a thread
 * of its own, how old the newest event written is ({@code now - max(time_ms)}, the server's clock and
 * this one being the machine's). While lines flow at a steady rate it is what the server's
 * {@code wschat.history.lag} tells: the time since the batch that was written last was cut off.
 * Samples taken before the first event is written are skipped.
 */
final class StoreLag implements AutoCloseable {

    static final long EVERY_MILLIS = 100;

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "store-lag");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Double> millis = new ArrayList<>();
    /** The sampler thread's only. */
    private Connection connection;

    StoreLag(String url, String user) {
        sampler.scheduleWithFixedDelay(() -> sample(url, user), EVERY_MILLIS, EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sample(String url, String user) {
        try {
            if (connection == null) {
                // One connection for the run: a new one per sample would start a PostgreSQL backend ten
                // times a second beside the chat, a cost of the bench's, not of the store's.
                connection = DriverManager.getConnection(url, user, "");
            }
        } catch (Exception notYet) {
            return;
        }
        try (var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT max(time_ms) FROM wschat_events")) {
            long now = System.currentTimeMillis();
            if (result.next() && result.getObject(1) != null) {
                synchronized (millis) {
                    millis.add((double) Math.max(0, now - result.getLong(1)));
                }
            }
        } catch (Exception notYet) {
            // no table before the server's migration ran: no sample
        }
    }

    /** "p50 / p99 / max (n samples)", or "no samples". */
    String summary() {
        double[] sorted;
        synchronized (millis) {
            sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
        if (sorted.length == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f (%d samples)", at(sorted, 0.50), at(sorted, 0.99),
                sorted[sorted.length - 1], sorted.length);
    }

    private static double at(double[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    @Override
    public void close() throws InterruptedException {
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        if (connection != null) {
            try {
                connection.close();
            } catch (java.sql.SQLException ignored) {
                // the database is going away with the run
            }
        }
    }
}
