package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.TransportTck;

/** The kit on the Netty transport over Java NIO, as it runs where epoll is not available. */
class NettyNioTransportTckTest extends TransportTck {

    @Override
    protected Transport transport() {
        return NettyTransport.using(NettyTransport.Io.NIO);
    }

    @Override
    protected boolean compresses() {
        return true;
    }
}
