package io.github.wschat.transport.javawebsocket;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps Java-WebSocket's socket factory (plain or TLS) to give every accepted socket a deadline for
 * its opening handshake. Java-WebSocket itself waits for ever on a socket that connects and sends
 * nothing (a slow-loris client), and its lost-connection check only sees open connections; a socket
 * still not open at its deadline is closed here, with no response.
 */
final class HandshakeDeadlines implements WebSocketServerFactory {

    private static final Logger log = LoggerFactory.getLogger(HandshakeDeadlines.class);

    private final WebSocketServerFactory sockets;
    private final long timeoutMillis;
    private final ScheduledThreadPoolExecutor timer;

    HandshakeDeadlines(WebSocketServerFactory sockets, Duration timeout, String name) {
        this.sockets = sockets;
        this.timeoutMillis = timeout.toMillis();
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name + "-handshake-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
        return watch(sockets.createWebSocket(adapter, draft));
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
        return watch(sockets.createWebSocket(adapter, drafts));
    }

    private WebSocketImpl watch(WebSocketImpl socket) {
        if (timeoutMillis > 0 && !timer.isShutdown()) {
            // The task holds the socket until the deadline; at thousands of connections a second
            // that is a few thousand small tasks, cheaper than cancelling each on open.
            timer.schedule(() -> expire(socket), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        return socket;
    }

    private void expire(WebSocketImpl socket) {
        if (socket.getReadyState() == ReadyState.NOT_YET_CONNECTED) {
            log.debug("No handshake from {} within {} ms; dropping the socket", socket.getRemoteSocketAddress(),
                    timeoutMillis);
            socket.closeConnection(CloseFrame.NEVER_CONNECTED, "no handshake within " + timeoutMillis + " ms");
        }
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        return sockets.wrapChannel(channel, key);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sockets.close();
    }
}
