package io.github.wschat.tck;

import io.github.wschat.CloseCodes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The client end of an in-memory connection, opened with {@link InMemoryServer#connect}.
 * Thread-safe; waiting methods fail with an {@link AssertionError} on timeout.
 */
public final class InMemoryClient extends ReceivingClient {

    private final String subprotocol;
    private final int maxMessageBytes;
    private volatile InMemoryConnection connection;

    InMemoryClient(String subprotocol, int maxMessageBytes) {
        this.subprotocol = subprotocol;
        this.maxMessageBytes = maxMessageBytes;
    }

    void attach(InMemoryConnection connection) {
        this.connection = connection;
    }

    boolean deliver(String text) {
        if (isClosed()) {
            return false;
        }
        received(text);
        return true;
    }

    void closedBy(int code, String reason) {
        closedWith(code, reason);
    }

    /**
     * Sends a text message to the server.
     *
     * @throws IllegalStateException if this client is closed
     */
    @Override
    public void send(String text) {
        Objects.requireNonNull(text, "text");
        requireOpen();
        if (text.length() > maxMessageBytes / 3 && text.getBytes(StandardCharsets.UTF_8).length > maxMessageBytes) {
            connection.later(() -> connection.close(CloseCodes.MESSAGE_TOO_BIG, "message too big"));
            return;
        }
        connection.later(() -> connection.received(text));
    }

    @Override
    public void sendBinary(byte[] data) {
        Objects.requireNonNull(data, "data");
        requireOpen();
        connection.later(connection::receivedBinary);
    }

    @Override
    public void close(int code, String reason) {
        if (closedWith(code, reason)) {
            connection.later(() -> connection.closed(code, reason));
        }
    }

    @Override
    public void abort() {
        if (closedWith(CloseCodes.ABNORMAL, "aborted by the client")) {
            connection.later(() -> connection.closed(CloseCodes.ABNORMAL, ""));
        }
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    private void requireOpen() {
        if (isClosed()) {
            throw new IllegalStateException("in-memory client is closed");
        }
    }
}
