package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ProgrammableChatTck;

/** The application's hooks, handles and moderation, on Netty. */
class ProgrammableChatOnNettyTest extends ProgrammableChatTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
