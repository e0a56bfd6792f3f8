package io.github.wschat.tck.autobahn;

import io.github.wschat.Connection;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.Handshake;

/**
 * The suite's testee: admits every handshake and sends every text or binary message back as it came.
 * A legitimate use of the SPI (the chat is one handler, this is another); binary messages go through
 * {@link AbstractConnection#onBinary}. Stateless; thread-safe.
 */
public final class EchoHandler implements ConnectionHandler {

    @Override
    public Admission admit(Handshake handshake) {
        return Admission.accept();
    }

    @Override
    public void connected(Connection connection) {
        connection.onMessage(connection::send);
        if (connection instanceof AbstractConnection binary) {
            binary.onBinary(binary::sendBinary);
        }
    }
}
