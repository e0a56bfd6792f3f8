package io.github.wschat.spi;

import io.github.wschat.Connection;
import io.github.wschat.Handshake;

/**
 * What a transport hands its handshakes and connections to; implemented by the chat server (or by
 * a test). Methods are called on transport threads and must not block.
 */
public interface ConnectionHandler {

    /**
     * Decides whether to complete a handshake, and with which subprotocol. Called before any
     * {@link Connection} exists. The default admits every handshake without a subprotocol.
     *
     * @param handshake the client's handshake
     * @return the decision, never null
     */
    default Admission admit(Handshake handshake) {
        return Admission.accept();
    }

    /**
     * A handshake was admitted and completed. Called once per connection, before its {@code open}
     * event, so handlers registered here see every event. The connection's
     * {@link Connection#handshake()} is the very instance that was passed to {@link #admit}, so a
     * handler may carry what it decided there over to here, keyed by identity.
     *
     * @param connection the new connection
     */
    void connected(Connection connection);
}
