package io.github.wschat.server;

import io.github.wschat.app.ChatListener;
import io.github.wschat.app.PlacedEvent;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every placed event to the application's listeners on a thread of its own, in the order
 * placed: a bounded queue between the rooms and the listeners, so that no room waits for them. The
 * thread drains the queue, then naps for a millisecond: a placing thread never wakes it, which would
 * cost a system call per event on the hot path; a listener hears an event within about a millisecond.
 * Thread-safe.
 */
final class Listeners implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    static final int CAPACITY = 65_536;

    private final List<ChatListener> listeners;
    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Queue<PlacedEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicBoolean skipping = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closed;

    Listeners(List<ChatListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.thread = new Thread(this::run, "wschat-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** As a broker's {@code PlacedListener}: queues the event for the listeners; never blocks. */
    void placed(String room, String epoch, long sequence, long time, io.github.wschat.broker.RoomEvent event) {
        placed(new PlacedEvent(room, epoch, sequence, time, event));
    }

    /** Queues a placed event for the listeners; never blocks. */
    void placed(PlacedEvent event) {
        if (waiting.incrementAndGet() <= CAPACITY) {
            queue.add(event);
            if (skipping.compareAndSet(true, false)) {
                log.warn("The listeners caught up; {} events were skipped for them so far", skipped.get());
            }
        } else {
            waiting.decrementAndGet();
            skipped.incrementAndGet();
            if (skipping.compareAndSet(false, true)) {
                log.error("The listeners fell {} events behind: events are skipped for them until they catch up", CAPACITY);
            }
        }
    }

    long skipped() {
        return skipped.get();
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            PlacedEvent event = queue.poll();
            if (event == null) {
                if (Thread.interrupted()) {
                    return;
                }
                LockSupport.parkNanos(this, NAP_NANOS);
                continue;
            }
            waiting.decrementAndGet();
            for (ChatListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    log.warn("A listener threw on event {} of room {}", event.sequence(), event.room(), e);
                }
            }
        }
    }

    /** Delivers what is queued (for at most a few seconds), then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
