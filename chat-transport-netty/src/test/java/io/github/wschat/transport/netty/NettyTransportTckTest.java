package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.TransportTck;

/** The kit on the Netty transport, with native epoll where it loads. */
class NettyTransportTckTest extends TransportTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }

    @Override
    protected boolean compresses() {
        return true;
    }
}
