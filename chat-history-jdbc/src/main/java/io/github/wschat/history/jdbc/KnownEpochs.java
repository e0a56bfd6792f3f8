package io.github.wschat.history.jdbc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each epoch's first time as the table had it when this store last wrote it, so that a batch touches
 * {@code wschat_epochs} only for a new epoch (or an event older than the row says) — and for a known
 * one again every 30 s, in case another node's retention deleted the row of an epoch whose old events
 * had all expired. At most 10,000 epochs are remembered (then all are forgotten: they are written
 * again, which is harmless). Keys are the store's: room, a line break, epoch. Thread-safe.
 */
final class KnownEpochs {

    private static final int MOST = 10_000;
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Known(long firstTime, long writtenAt) {
    }

    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /** Whether an event of this epoch at this time needs the epoch's row written with the batch. */
    boolean needsWrite(String key, long time) {
        Known epoch = known.get(key);
        return epoch == null || time < epoch.firstTime() || System.nanoTime() - epoch.writtenAt() > RECHECK_NANOS;
    }

    /** These epochs' rows (key to first time) are committed. */
    void written(Map<String, Long> epochs) {
        if (known.size() + epochs.size() > MOST) {
            known.clear();
        }
        long now = System.nanoTime();
        epochs.forEach((key, time) -> known.merge(key, new Known(time, now),
                (was, wrote) -> new Known(Math.min(was.firstTime(), wrote.firstTime()), now)));
    }

    /** Rows may have been deleted (retention): write each epoch's again with its next batch. */
    void forget() {
        known.clear();
    }
}
