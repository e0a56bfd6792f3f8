package io.github.wschat.transport.javawebsocket;

import io.github.wschat.Handshake;
import io.github.wschat.spi.AbstractConnection;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/** A Java-WebSocket connection behind the wschat {@link io.github.wschat.Connection} API. */
final class JavaWebSocketConnection extends AbstractConnection {

    private final WebSocket socket;

    JavaWebSocketConnection(String id, Handshake handshake, String subprotocol, WebSocket socket) {
        super(id, handshake, subprotocol);
        this.socket = socket;
    }

    @Override
    protected boolean sendText(String text) {
        try {
            socket.send(text);
            return true;
        } catch (WebsocketNotConnectedException closed) {
            return false;
        }
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
