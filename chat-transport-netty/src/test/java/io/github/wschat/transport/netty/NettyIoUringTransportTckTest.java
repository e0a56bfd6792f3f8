package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.TransportTck;
import org.junit.jupiter.api.BeforeAll;

/** The kit on the Netty transport over io_uring (Linux 5.14 and later, where the kernel allows it). */
class NettyIoUringTransportTckTest extends TransportTck {

    @BeforeAll
    static void needsIoUring() {
        IoUringSupport.require();
    }

    @Override
    protected Transport transport() {
        return NettyTransport.using(NettyTransport.Io.IO_URING);
    }

    @Override
    protected boolean compresses() {
        return true;
    }
}
