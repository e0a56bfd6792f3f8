package io.github.wschat.tck;

import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.ConnectionHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/** The server side of an in-memory connection. */
final class InMemoryConnection extends AbstractConnection {

    private final Executor events;
    private final InMemoryClient peer;
    private final Consumer<InMemoryConnection> onClosed;

    InMemoryConnection(String id, Handshake handshake, String subprotocol, Executor events, InMemoryClient peer,
            Consumer<InMemoryConnection> onClosed) {
        super(id, handshake, subprotocol);
        this.events = events;
        this.peer = peer;
        this.onClosed = onClosed;
    }

    Executor events() {
        return events;
    }

    /** Runs an event on this connection's sequence; after the server stopped, there is none. */
    void later(Runnable event) {
        try {
            events.execute(event);
        } catch (RejectedExecutionException stopped) {
            // The server stopped; close() has ended this connection.
        }
    }

    @Override
    protected boolean sendText(String text) {
        return peer.deliver(text);
    }

    @Override
    protected void sendClose(int code, String reason) {
        later(() -> {
            peer.closedBy(code, reason);
            closed(code, reason);
        });
    }

    void opened(ConnectionHandler handler) {
        handOver(handler);
    }

    void received(String text) {
        fireMessage(text);
    }

    void receivedBinary() {
        fireBinary();
    }

    void closed(int code, String reason) {
        onClosed.accept(this);
        fireClose(code, reason);
    }

    void lost() {
        peer.closedBy(CloseCodes.ABNORMAL, "server stopped");
        closed(CloseCodes.ABNORMAL, "server stopped");
    }
}
