package io.github.wschat.transport.javawebsocket;

import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.DedicatedDeflater;
import io.github.wschat.spi.PerMessageDeflate;
import io.github.wschat.spi.SharedText;
import io.github.wschat.spi.TextFrames;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.server.WebSocketServer;

/** A Java-WebSocket connection behind the wschat {@link io.github.wschat.Connection} API. */
final class JavaWebSocketConnection extends AbstractConnection {

    // A frame is at most 3 bytes of UTF-8 per char plus a 14-byte header.
    private static final int MAX_BYTES_PER_CHAR = 3;
    private static final int MAX_FRAME_HEADER = 14;

    private final WebSocketImpl socket;
    private final WebSocketServer server;
    private final long maxQueuedBytes;
    /** Past the budget, bytes added between two walks of the queue. */
    private final long walkEvery;
    /** What the last walk of the queue found, and what was added since (under this connection's lock). */
    private long queuedAtWalk;
    private long addedSinceWalk;
    private final TextFrames<ByteBuffer> textFrames;
    /** What the client negotiated, or null for no compression. */
    private final PerMessageDeflate deflate;
    /** The window kept for this client (dedicated compression with context takeover), made at first use; or null. */
    private final DedicatedDeflater ownDeflater;
    private volatile int sentCloseCode;
    private volatile String sentCloseReason;

    JavaWebSocketConnection(String id, Handshake handshake, String subprotocol, WebSocketImpl socket,
            WebSocketServer server, long maxQueuedBytes, TextFrames<ByteBuffer> textFrames) {
        super(id, handshake, subprotocol);
        this.socket = socket;
        this.server = server;
        this.textFrames = textFrames;
        this.deflate = socket.getDraft() instanceof MaskedFramesOnly draft ? draft.agreement() : null;
        this.ownDeflater = deflate != null && !deflate.serverNoContextTakeover()
                ? new DedicatedDeflater(textFrames.compression().level()) : null;
        this.maxQueuedBytes = maxQueuedBytes;
        this.walkEvery = Math.max(1, maxQueuedBytes / 16);
    }

    @Override
    protected boolean sendText(String text) {
        if (ownDeflater != null) {
            return sendDedicated(text);
        }
        if (deflate != null) {
            return enqueue(textFrames.single(text, deflate));
        }
        try {
            socket.send(text);
        } catch (WebsocketNotConnectedException closed) {
            return false;
        }
        return withinBudget((long) text.length() * MAX_BYTES_PER_CHAR + MAX_FRAME_HEADER);
    }

    /**
     * Fan-out: the frame is encoded (and compressed) once, by the first member to send it, and every
     * member's queue gets a view of the same bytes; the selector writes it as Java-WebSocket would have.
     */
    @Override
    protected boolean sendShared(SharedText text) {
        if (ownDeflater != null) {
            return sendDedicated(text.text());
        }
        return enqueue((deflate == null ? textFrames.shared(text) : textFrames.shared(text, deflate)).duplicate());
    }

    /**
     * Compressed with this client's window: compressed and queued under the deflater's lock, in the
     * order the client inflates. The write demand and the budget (which may close the connection,
     * taking the library's lock on the socket) come after the lock is let go: the library closes a
     * socket holding that lock and then ends the deflater ({@link #closed}), so holding both here would
     * deadlock.
     */
    private boolean sendDedicated(String text) {
        ByteBuffer[] frame = new ByteBuffer[1];
        boolean queued = ownDeflater.use(window -> {
            if (!socket.isOpen()) {
                return false;
            }
            frame[0] = textFrames.dedicated(text, window);
            socket.outQueue.add(frame[0]);
            return true;
        });
        if (!queued) {
            return false;
        }
        server.onWriteDemand(socket);
        return withinBudget(frame[0].remaining());
    }

    private boolean enqueue(ByteBuffer frame) {
        if (!socket.isOpen()) {
            return false;
        }
        socket.outQueue.add(frame);
        server.onWriteDemand(socket);
        return withinBudget(frame.remaining());
    }

    /**
     * Drops the connection if more than the budget waits to be written. The library's queue keeps no
     * count of its bytes, and walking it takes its lock per frame: walking it on every send made a
     * peer that stopped reading cost a walk of its whole queue (tens of thousands of small frames)
     * per line sent to it — quadratic, and on the fan-out thread. So the bytes added since the last
     * walk are counted: the queue holds at most what the walk found plus them, and while that is
     * within the budget nothing is walked; past it, the queue is walked at most once per sixteenth
     * of the budget added, so a peer may hold up to 1/16 more than the budget before it is dropped.
     */
    private synchronized boolean withinBudget(long added) {
        addedSinceWalk += added;
        long atMost = queuedAtWalk + addedSinceWalk;
        if (atMost <= maxQueuedBytes || (addedSinceWalk < walkEvery && atMost <= maxQueuedBytes + walkEvery)) {
            return true;
        }
        queuedAtWalk = queued();
        addedSinceWalk = 0;
        if (queuedAtWalk > maxQueuedBytes) {
            // Drop at once: a close frame would wait behind the whole queue of a peer that does not read.
            socket.closeConnection(CloseCodes.POLICY_VIOLATION,
                    "too slow: more than " + maxQueuedBytes + " bytes queued");
            return false;
        }
        return true;
    }

    @Override
    protected long measureQueuedBytes() {
        return queued();
    }

    private long queued() {
        long queued = 0;
        for (ByteBuffer frame : socket.outQueue) {
            queued += frame.remaining();
        }
        return queued;
    }

    @Override
    protected void sendClose(int code, String reason) {
        sentCloseReason = reason;
        sentCloseCode = code;
        socket.close(code, reason);
    }

    /** The library's socket, for {@link StalledWrites}. */
    WebSocketImpl socket() {
        return socket;
    }

    void opened(ConnectionHandler handler) {
        handOver(handler);
    }

    void received(String text) {
        fireMessage(text);
    }

    void receivedBinary(ByteBuffer message) {
        fireBinary(message);
    }

    /** Binary goes plain, also where compression was agreed (a message may be sent uncompressed). */
    @Override
    protected boolean sendBinaryMessage(ByteBuffer data) {
        int bytes = data.remaining();
        try {
            socket.send(data);
        } catch (WebsocketNotConnectedException closed) {
            return false;
        }
        return withinBudget(bytes + MAX_FRAME_HEADER);
    }

    void failed(Exception error) {
        fireError(error);
    }

    /**
     * Java-WebSocket started a close of its own (1009 for a frame over the limit, 1002 for a
     * protocol error): the connection ends now, as for a close wschat starts, whether or not the peer
     * answers the close frame.
     */
    void closeInitiated(int code, String reason) {
        if (sentCloseCode == 0) {
            sentCloseReason = reason == null ? "" : reason;
            sentCloseCode = code;
            fireClose(code, sentCloseReason);
        }
    }

    /**
     * Java-WebSocket's close() queues the close frame before it records that it is closing; a peer
     * that answers and hangs up in between is reported as 1006. A close this side started (wschat or
     * the library) reports the code and reason it sent, as it does when that race is not lost.
     */
    void closed(int code, String reason) {
        if (ownDeflater != null) {
            ownDeflater.end();
        }
        int sent = sentCloseCode;
        if (code == CloseCodes.ABNORMAL && sent != 0) {
            fireClose(sent, sentCloseReason);
        } else {
            fireClose(code, reason == null ? "" : reason);
        }
    }
}
