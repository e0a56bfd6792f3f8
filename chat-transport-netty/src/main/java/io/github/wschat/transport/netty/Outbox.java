package io.github.wschat.transport.netty;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connections of one event loop that have frames waiting. Fan-out marks each member once, from
 * any thread; one task per event loop then writes every marked member's queue and flushes each once.
 * Sending a line to a room thus costs each event loop one wake-up, not one task per member.
 *
 * <p>With a linger ({@code lingerNanos > 0}), a pass that would come sooner than the linger after the
 * last one waits until then: under load, the lines that arrive within a linger leave in one write
 * per member (one system call instead of several), at most a linger late; an idle loop's next pass
 * runs at once, so a quiet room pays nothing. Without one, every mark is written at the next turn
 * of the loop, as it always was. Thread-safe.
 */
final class Outbox implements Runnable {

    private final EventLoop loop;
    private final long lingerNanos;
    private final Queue<NettyConnection> marked = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** When the last pass began ({@link System#nanoTime}); read only with a linger. */
    private volatile long lastPass;

    Outbox(EventLoop loop, long lingerNanos) {
        this.loop = loop;
        this.lingerNanos = lingerNanos;
        this.lastPass = System.nanoTime() - lingerNanos;
    }

    void mark(NettyConnection connection) {
        marked.offer(connection);
        if (scheduled.compareAndSet(false, true)) {
            try {
                long wait = lingerNanos == 0 ? 0 : lastPass + lingerNanos - System.nanoTime();
                if (wait <= 0) {
                    loop.execute(this);
                } else {
                    loop.schedule(this, wait, TimeUnit.NANOSECONDS);
                }
            } catch (RejectedExecutionException stopped) {
                // The event loop has stopped, and with it every channel it owned.
                marked.clear();
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        if (lingerNanos != 0) {
            lastPass = System.nanoTime();
        }
        NettyConnection connection;
        while ((connection = marked.poll()) != null) {
            connection.writeQueued();
        }
    }
}
