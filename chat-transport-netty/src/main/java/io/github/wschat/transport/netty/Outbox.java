package io.github.wschat.transport.netty;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connections of one event loop that have frames waiting. Fan-out marks each member once, from
 * any thread; one task per event loop then writes every marked member's queue and flushes each once.
 * Sending a line to a room thus costs each event loop one wake-up, not one task per member.
 * Thread-safe.
 */
final class Outbox implements Runnable {

    private final EventLoop loop;
    private final Queue<NettyConnection> marked = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Outbox(EventLoop loop) {
        this.loop = loop;
    }

    void mark(NettyConnection connection) {
        marked.offer(connection);
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this);
            } catch (RejectedExecutionException stopped) {
                // The event loop has stopped, and with it every channel it owned.
                marked.clear();
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        NettyConnection connection;
        while ((connection = marked.poll()) != null) {
            connection.writeQueued();
        }
    }
}
