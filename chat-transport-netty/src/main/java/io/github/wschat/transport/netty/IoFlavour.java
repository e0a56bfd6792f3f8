package io.github.wschat.transport.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.function.Supplier;

/** Which of Netty's I/O implementations a server runs on: native epoll where it loads, NIO elsewhere. */
enum IoFlavour {
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class),
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class);

    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends ServerChannel> serverChannel;

    IoFlavour(Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> serverChannel) {
        this.handlers = handlers;
        this.serverChannel = serverChannel;
    }

    static IoFlavour choose(boolean preferNative) {
        return preferNative && Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Why epoll is not used, for the log; empty when it is. */
    static String whyNotNative(boolean preferNative) {
        if (!preferNative) {
            return "NIO asked for";
        }
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? "" : "epoll unavailable: " + cause;
    }

    IoHandlerFactory handlerFactory() {
        return handlers.get();
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }
}
