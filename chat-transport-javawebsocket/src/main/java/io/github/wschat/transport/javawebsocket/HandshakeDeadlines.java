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
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps Java-WebSocket's socket factory (plain or TLS) to give every accepted socket a deadline for
 * its opening handshake. Java-WebSocket itself waits for ever on a socket that connects and sends
 * nothing (a slow-loris client), and its lost-connection check only sees open connections. A socket
 * still not open at its deadline is closed here: with no response if it sent nothing; on plain
 * sockets, with {@code 408} if its request is incomplete, or {@code 503} if the request arrived and
 * the server did not get to it in time (a worker thread far behind) — so that a client that asked is
 * always answered with a status, never hung up on.
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

    // The wrapped factories (plain, TLS, gathering writes) differ in their channels, not their sockets:
    // every socket is one whose end of stream waits for what was read before it (OrderlyEndSocket).
    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
        return watch(new OrderlyEndSocket(adapter, draft));
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
        return watch(new OrderlyEndSocket(adapter, drafts));
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
        // The socket's monitor orders this with the library's own closing and with a close in progress.
        synchronized (socket) {
            if (socket.getReadyState() != ReadyState.NOT_YET_CONNECTED || !socket.outQueue.isEmpty()) {
                return; // opened, closed, or its handshake answered and being written
            }
            String said = "no handshake within " + timeoutMillis + " ms";
            if (socket.getChannel() instanceof RequestWatch request && request.started()) {
                request.answer(request.complete() ? 503 : 408);
                said = (request.complete() ? "handshake not processed" : "handshake incomplete") + " within "
                        + timeoutMillis + " ms";
            }
            log.debug("{} from {}; dropping the socket", said, socket.getRemoteSocketAddress());
            socket.closeConnection(CloseFrame.NEVER_CONNECTED, said);
        }
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        ByteChannel wrapped = sockets.wrapChannel(channel, key);
        // A TLS channel is the library's own (it checks for it by type) and takes no plain answer.
        return wrapped instanceof WrappedByteChannel ? wrapped : new RequestWatch(wrapped, channel);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sockets.close();
    }
}
