package io.github.wschat.transport.javawebsocket;

import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.AbstractConnection;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/** A Java-WebSocket connection behind the wschat {@link io.github.wschat.Connection} API. */
final class JavaWebSocketConnection extends AbstractConnection {

    // A frame is at most 3 bytes of UTF-8 per char plus a 14-byte header.
    private static final int MAX_BYTES_PER_CHAR = 3;
    private static final int MAX_FRAME_HEADER = 14;

    private final WebSocketImpl socket;
    private final long maxQueuedBytes;

    JavaWebSocketConnection(String id, Handshake handshake, String subprotocol, WebSocketImpl socket,
            long maxQueuedBytes) {
        super(id, handshake, subprotocol);
        this.socket = socket;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    protected boolean sendText(String text) {
        try {
            socket.send(text);
        } catch (WebsocketNotConnectedException closed) {
            return false;
        }
        // Walking the queue takes its lock per element, so walk only when the queue could be over budget
        // were every queued frame as large as this one may be; a reader that keeps up never gets there.
        long bound = (long) socket.outQueue.size() * ((long) text.length() * MAX_BYTES_PER_CHAR + MAX_FRAME_HEADER);
        if (bound > maxQueuedBytes && queuedBytes() > maxQueuedBytes) {
            // Drop at once: a close frame would wait behind the whole queue of a peer that does not read.
            socket.closeConnection(CloseCodes.POLICY_VIOLATION,
                    "too slow: more than " + maxQueuedBytes + " bytes queued");
            return false;
        }
        return true;
    }

    private long queuedBytes() {
        long queued = 0;
        for (ByteBuffer frame : socket.outQueue) {
            queued += frame.remaining();
        }
        return queued;
    }

    @Override
    protected void sendClose(int code, String reason) {
        socket.close(code, reason);
    }

    void opened() {
        fireOpen();
    }

    void received(String text) {
        fireMessage(text);
    }

    void receivedBinary() {
        fireBinary();
    }

    void failed(Exception error) {
        fireError(error);
    }

    void closed(int code, String reason) {
        fireClose(code, reason == null ? "" : reason);
    }
}
