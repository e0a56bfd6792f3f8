package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.LeavingTck;

/** Every way a member leaves, on Netty. */
class LeavingOnNettyTest extends LeavingTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
