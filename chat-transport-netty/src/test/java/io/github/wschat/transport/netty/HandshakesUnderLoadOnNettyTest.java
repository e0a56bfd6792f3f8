package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.HandshakesUnderLoadTck;

/** Handshakes answered while the room is abused and busy, on Netty. */
class HandshakesUnderLoadOnNettyTest extends HandshakesUnderLoadTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
