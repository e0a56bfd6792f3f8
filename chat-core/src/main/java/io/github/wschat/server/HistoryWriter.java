package io.github.wschat.server;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.history.HistoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the public events the rooms deliver to the {@link HistoryStore} (or to an {@link
 * io.github.wschat.app.EventSink}), in batches, on a thread of its own: a room only adds to a queue (never blocks, never waits for the store). The thread takes up
 * to {@value #BATCH} events, or what came within {@value #LINGER_MILLIS} ms of the first (an event sink's:
 * {@value #SINK_LINGER_MILLIS} ms), and appends
 * them in one call; a store that fails is tried again with a growing pause (to 5 s), the events kept
 * meanwhile — the chat goes on, the store falls behind ({@link #lag()}). Past {@value #CAPACITY}
 * waiting events, new ones are dropped for the store, counted and logged: a store down for long costs
 * its history, not the node's memory. A reader that must see every event queued so far (a member's
 * page) asks for {@link #flushed()}: the batch then goes at once. Every so often it also deletes what
 * the retention no longer keeps. Thread-safe.
 */
final class HistoryWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
    static final int BATCH = 1000;
    /**
     * A store's linger: its per-batch path (borrowing a connection, binding, a round trip) runs a few
     * times a second, so the JIT takes minutes to reach it — half a second's batches halve that cost
     * (1.5 µs a row to 1.0 on a local PostgreSQL at 2,000 lines a second). Readers never wait for it
     * ({@link #flushed()}).
     */
    static final long LINGER_MILLIS = 500;
    /** An event sink's (webhooks'): a quarter of a second, since a sink's reader reacts to what it gets. */
    static final long SINK_LINGER_MILLIS = 250;
    static final int CAPACITY = 1 << 20;
    private static final long MAX_PAUSE_MILLIS = 5_000;
    private static final long RETENTION_EVERY_MILLIS = 60_000;
    /**
     * How long the thread naps when the queue is empty: a batch's first event does not wake it, which
     * would cost a room a system call per batch (only the event that fills a batch does). A nap shorter
     * than the linger delays no batch (one is due a linger after its first event arrived).
     */
    private static final long IDLE_NAP_MILLIS = 100;

    /** Where a batch goes: a history store's append, or an event sink. */
    @FunctionalInterface
    interface Target {
        void append(List<PlacedEvent> batch) throws Exception;
    }

    private final HistoryStore store;
    private final Target target;
    private final String what;
    private final Duration retention;
    private final long lingerNanos;
    private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    /** When the oldest event not yet written arrived (nanoTime), or 0 when none waits. */
    private volatile long oldestArrival;
    private volatile boolean failing;

    /**
     * An event and when it reached the writer; or, with no event, a reader's barrier: {@code flushed}
     * completes once everything queued before it is written.
     */
    private record Waiting(PlacedEvent event, long arrived, CompletableFuture<Void> flushed) {
        Waiting(PlacedEvent event, long arrived) {
            this(event, arrived, null);
        }
    }

    /** Barriers met by the batch being written: completed once it is. */
    private final List<CompletableFuture<Void>> flushedWithBatch = new ArrayList<>();
    /** Set by a barrier: the lingering batch goes now. */
    private volatile boolean flushAsked;

    /**
     * @param retention how long events are kept; zero for as long as the store keeps them
     */
    HistoryWriter(HistoryStore store, Duration retention) {
        this(store, retention, Duration.ofMillis(LINGER_MILLIS));
    }

    /** With another linger than {@value #LINGER_MILLIS} ms: for tests. */
    HistoryWriter(HistoryStore store, Duration retention, Duration linger) {
        this(store, store::append, "the history store", "wschat-history", retention, linger);
    }

    /** A writer for an event sink: no retention. */
    HistoryWriter(String name, io.github.wschat.app.EventSink sink) {
        this(null, sink::accept, "the event sink " + name, "wschat-sink-" + name, Duration.ZERO,
                Duration.ofMillis(SINK_LINGER_MILLIS));
    }

    private HistoryWriter(HistoryStore store, Target target, String what, String threadName, Duration retention,
            Duration linger) {
        this.store = store;
        this.lingerNanos = linger.toNanos();
        this.target = target;
        this.what = what;
        this.retention = retention;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a public event for the store; never blocks. The event that makes a full batch wakes the
     * lingering thread (one system call a batch, paid only by a burst); every other leaves it asleep.
     */
    void offer(PlacedEvent event) {
        int now = waiting.incrementAndGet();
        if (now > CAPACITY) {
            waiting.decrementAndGet();
            if (dropped.getAndIncrement() % 10_000 == 0) {
                log.warn("{} is {} events behind: events are dropped for it ({} so far)", what, CAPACITY,
                        dropped.get());
            }
            return;
        }
        queue.add(new Waiting(event, System.nanoTime()));
        if (now == BATCH) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Completes once every event queued before this call is written (or the writer is closed): a
     * page read after it sees them all. Asks the writer to write what it holds now rather than after
     * its linger, so a reader waits about one write, not a linger. Never completes while the store
     * refuses them: a caller bounds its wait.
     */
    CompletableFuture<Void> flushed() {
        if (waiting.get() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        queue.add(new Waiting(null, System.nanoTime(), flushed));
        flushAsked = true;
        LockSupport.unpark(thread);
        if (closed && !thread.isAlive()) {
            flushed.complete(null);
        }
        return flushed;
    }

    /** How far the store is behind: the age of the oldest event not yet written; zero when none waits. */
    Duration lag() {
        long oldest = oldestArrival;
        Waiting head = queue.peek();
        long since = oldest != 0 ? oldest : head == null ? 0 : head.arrived();
        return since == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - since));
    }

    /** Whether the last attempt to write reached the store. */
    boolean healthy() {
        return !failing;
    }

    long written() {
        return written.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void run() {
        long pause = 0;
        long nextRetention = System.nanoTime();
        List<PlacedEvent> batch = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty() || !batch.isEmpty()) {
            if (batch.isEmpty()) {
                Waiting first = queue.peek();
                if (first == null) {
                    nextRetention = retain(nextRetention);
                    if (!closed) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_NAP_MILLIS));
                    }
                    continue;
                }
                oldestArrival = first.arrived();
                // A batch is due a linger after its first event arrived (not after the thread saw it):
                // one nap until then, woken early by the event that fills a batch, a reader asking for
                // what is queued, or close; then take them all. Each wake-up costs this thread a few
                // tens of microseconds on a busy machine: it wakes about once a batch, not on a timer.
                long until = first.arrived() + lingerNanos;
                for (long left = until - System.nanoTime(); left > 0 && !closed && !flushAsked && waiting.get() < BATCH;
                        left = until - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                flushAsked = false;
                for (Waiting next = queue.poll(); next != null; next = batch.size() < BATCH ? queue.poll() : null) {
                    take(next, batch);
                }
                if (batch.isEmpty()) {
                    oldestArrival = 0;
                    continue;
                }
            }
            try {
                target.append(List.copyOf(batch)); // a repeat is the store's key to skip
                written.addAndGet(batch.size());
                waiting.addAndGet(-batch.size());
                batch.clear();
                oldestArrival = 0;
                flushedWithBatch.forEach(f -> f.complete(null));
                flushedWithBatch.clear();
                if (failing) {
                    log.info("{} takes events again", what);
                }
                failing = false;
                pause = 0;
            } catch (Exception e) { // an InterruptedException too: the thread is ours, and stops by close()
                if (!failing) {
                    log.warn("{} did not take {} events; trying again: {}", what, batch.size(), e.toString());
                }
                failing = true;
                if (closed) {
                    log.warn("Closing with {} events {} did not take", batch.size() + waiting.get(), what);
                    releaseBarriers();
                    return;
                }
                pause = Math.min(MAX_PAUSE_MILLIS, Math.max(100, pause * 2));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
            }
        }
    }

    /**
     * One queued event into the batch, or a reader's barrier met by it. A method of its own, called
     * once an event: the JIT compiles it fully within seconds, where the loop around it (in a method
     * that runs a few times a second) stays interpreted or in C1's profiling tier for minutes.
     */
    private void take(Waiting next, List<PlacedEvent> batch) {
        if (next.flushed() == null) {
            batch.add(next.event());
        } else if (batch.isEmpty()) {
            next.flushed().complete(null); // everything before it is written already
        } else {
            flushedWithBatch.add(next.flushed());
        }
    }

    /** On the way out: no reader waits for a write that will not come. */
    private void releaseBarriers() {
        flushedWithBatch.forEach(f -> f.complete(null));
        flushedWithBatch.clear();
        for (Waiting left = queue.poll(); left != null; left = queue.poll()) {
            if (left.flushed() != null) {
                left.flushed().complete(null);
            }
        }
    }

    /** Deletes what the retention no longer keeps, once a minute; returns when to do so next. */
    private long retain(long due) {
        if (store == null || retention.isZero() || System.nanoTime() < due) {
            return due;
        }
        try {
            long deleted = store.expire(Instant.now().minus(retention));
            if (deleted > 0) {
                log.info("History retention ({}) deleted {} events", retention, deleted);
            }
        } catch (RuntimeException e) {
            log.warn("History retention could not delete old events: {}", e.toString());
        }
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETENTION_EVERY_MILLIS);
    }

    /** Writes what waits (as far as the store takes it), then stops. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (!thread.isAlive()) {
                releaseBarriers();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
