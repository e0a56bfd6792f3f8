package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.LiveConnections;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.server.WebSocketServer;

/**
 * Gives back a write demand that Java-WebSocket lost. Its selector, having written the whole queue of
 * a connection, sets the connection's interest back to reading alone ({@code WebSocketServer.doWrite}
 * in 1.6.0); a frame that another thread queued in that instant, with its own demand
 * ({@code onWriteDemand}: interest in writing, and a wake-up), has its demand overwritten and waits in
 * the queue until the next frame for that connection — in a quiet room, for good. Found by the
 * Autobahn cases that send a message only once the last one's echo came (no echo within 10 s, about
 * once in 10<sup>5</sup> round trips on a loaded machine). Every {@link #EVERY} this looks at each
 * connection: one with frames queued and no interest in writing gets its demand again. Thread-safe.
 */
final class StalledWrites implements AutoCloseable {

    static final Duration EVERY = Duration.ofMillis(10);

    private final ScheduledThreadPoolExecutor timer;

    StalledWrites(WebSocketServer server, LiveConnections<JavaWebSocketConnection> live, String name) {
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name + "-stalled-writes");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> live.forEach(connection -> {
            WebSocketImpl socket = connection.socket();
            if (stalled(socket)) {
                server.onWriteDemand(socket);
            }
        }), EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether frames wait in the socket's queue while its key does not ask to write them. */
    private static boolean stalled(WebSocketImpl socket) {
        if (socket.outQueue.isEmpty()) {
            return false;
        }
        SelectionKey key = socket.getSelectionKey();
        try {
            return key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0;
        } catch (CancelledKeyException closed) {
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
