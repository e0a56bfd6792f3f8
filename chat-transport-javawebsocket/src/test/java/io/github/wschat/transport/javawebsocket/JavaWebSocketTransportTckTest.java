package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.TransportTck;

/** Java-WebSocket honours the transport SPI, proven by the kit over real sockets. */
class JavaWebSocketTransportTckTest extends TransportTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }

    @Override
    protected boolean compresses() {
        return true;
    }
}
