package io.github.wschat.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

/** Which I/O a server runs on: the one asked for where it loads, the next one down where not. */
class IoChoiceTest {

    private final TransportOptions options = TransportOptions.builder().host("127.0.0.1").port(0).build();
    private final ConnectionHandler nothing = connection -> { };

    private IoFlavour runningOn(NettyTransport.Io io) throws Exception {
        TransportServer server = NettyTransport.using(io).start(options, nothing);
        try {
            return ((NettyServer) server).flavour();
        } finally {
            server.close();
        }
    }

    @Test
    void eachAskedForIoRunsWhereItLoads() throws Exception {
        IoUringSupport.require();
        assertEquals(IoFlavour.IO_URING, runningOn(NettyTransport.Io.IO_URING));
        assertEquals(Epoll.isAvailable() ? IoFlavour.EPOLL : IoFlavour.NIO, runningOn(NettyTransport.Io.EPOLL));
        assertEquals(Epoll.isAvailable() ? IoFlavour.EPOLL : IoFlavour.NIO, runningOn(NettyTransport.Io.AUTO),
                "io_uring only where asked for: epoll stays the default (docs/PERFORMANCE.md)");
        assertEquals(IoFlavour.NIO, runningOn(NettyTransport.Io.NIO));
    }

    @Test
    void thePropertysValuesAreNamesOfTheIo() {
        assertEquals(NettyTransport.Io.IO_URING, NettyTransport.Io.parse("io_uring"));
        assertEquals(NettyTransport.Io.IO_URING, NettyTransport.Io.parse(" IO-URING "));
        assertEquals(NettyTransport.Io.IO_URING, NettyTransport.Io.parse("iouring"));
        assertEquals(NettyTransport.Io.NIO, NettyTransport.Io.parse("nio"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NettyTransport.Io.parse("kqueue")).getMessage()
                .contains("wschat.netty.io is auto, epoll, io_uring or nio"));
    }
}
