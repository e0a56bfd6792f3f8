package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.SeedChatTck;
import org.junit.jupiter.api.BeforeAll;

/** The seed's chat on the Netty transport over io_uring. */
class SeedChatOnNettyIoUringTest extends SeedChatTck {

    @BeforeAll
    static void needsIoUring() {
        IoUringSupport.require();
    }

    @Override
    protected Transport transport() {
        return NettyTransport.using(NettyTransport.Io.IO_URING);
    }
}
