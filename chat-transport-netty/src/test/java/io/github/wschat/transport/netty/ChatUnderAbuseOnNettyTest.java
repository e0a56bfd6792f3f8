package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ChatUnderAbuseTck;

/** Limits and access checks over a whole chat server, on Netty. */
class ChatUnderAbuseOnNettyTest extends ChatUnderAbuseTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
