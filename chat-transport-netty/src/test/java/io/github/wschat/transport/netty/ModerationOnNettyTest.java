package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ModerationTck;

/** Kicks, mutes and bans from handles and operators, on the transport. */
class ModerationOnNettyTest extends ModerationTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
