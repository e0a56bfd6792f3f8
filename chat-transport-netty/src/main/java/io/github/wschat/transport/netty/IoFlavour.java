package io.github.wschat.transport.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.function.Supplier;

/**
 * Which of Netty's I/O implementations a server runs on, chosen from the {@link NettyTransport.Io}
 * asked for: the native one where it loads, the next one down where it does not (io_uring → epoll
 * → NIO), with the reason for the log.
 */
enum IoFlavour {
    IO_URING(IoUringIoHandler::newFactory, IoUringServerSocketChannel.class),
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class),
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class);

    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends ServerChannel> serverChannel;

    IoFlavour(Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> serverChannel) {
        this.handlers = handlers;
        this.serverChannel = serverChannel;
    }

    /** The flavour a server runs on, and why it is not the one asked for (empty where it is). */
    record Choice(IoFlavour flavour, String why) {
    }

    static Choice choose(NettyTransport.Io asked) {
        switch (asked) {
            case NIO:
                return new Choice(NIO, "");
            case IO_URING:
                if (IoUring.isAvailable()) {
                    return new Choice(IO_URING, "");
                }
                Choice below = choose(NettyTransport.Io.EPOLL);
                return new Choice(below.flavour(), "io_uring unavailable: " + IoUring.unavailabilityCause()
                        + (below.why().isEmpty() ? "" : "; " + below.why()));
            default:
                if (Epoll.isAvailable()) {
                    return new Choice(EPOLL, "");
                }
                return new Choice(NIO, "epoll unavailable: " + Epoll.unavailabilityCause());
        }
    }

    IoHandlerFactory handlerFactory() {
        return handlers.get();
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }
}
