package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.SeedChatTck;

/** The seed's chat, end to end, on Netty. */
class SeedChatOnNettyTest extends SeedChatTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
