package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.HandshakesUnderLoadTck;

/** Handshakes answered while the room is abused and busy, on JavaWebSocket. */
class HandshakesUnderLoadOnJavaWebSocketTest extends HandshakesUnderLoadTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
