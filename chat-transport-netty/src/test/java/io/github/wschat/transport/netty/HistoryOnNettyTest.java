package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.HistoryTck;

/** History beyond memory, on the transport. */
class HistoryOnNettyTest extends HistoryTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
