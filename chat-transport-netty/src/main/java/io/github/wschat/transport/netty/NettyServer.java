package io.github.wschat.transport.netty;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.LiveConnections;
import io.github.wschat.spi.TextFrames;
import io.github.wschat.spi.TransportServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Netty server: its event loops, its listening channel and its live connections. Thread-safe. */
final class NettyServer implements TransportServer {

    private static final Logger log = LoggerFactory.getLogger(NettyServer.class);

    private final TransportOptions options;
    private final ConnectionHandler handler;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup loops;
    private final Map<EventExecutor, Outbox> outboxes = new HashMap<>();
    private final LiveConnections<NettyConnection> live = new LiveConnections<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Channel listener;
    private volatile InetSocketAddress address;
    private final IoFlavour flavour;
    private final TextFrames<ByteBuf> textFrames;

    private NettyServer(TransportOptions options, ConnectionHandler handler, IoFlavour flavour, long lingerNanos) {
        this.flavour = flavour;
        this.options = options;
        // Shared frames in direct buffers, freed by the garbage collector once no channel holds a view
        // of them, and never released by a write: each channel gets a duplicate, written without a copy.
        this.textFrames = new TextFrames<>(options.compression(), ByteBuffer::allocateDirect,
                buffer -> Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(buffer)));
        this.handler = handler;
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("wschat-netty-accept", true),
                flavour.handlerFactory());
        this.loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("wschat-netty", true), flavour.handlerFactory());
        for (EventExecutor loop : loops) {
            outboxes.put(loop, new Outbox((EventLoop) loop, lingerNanos));
        }
    }

    static NettyServer start(TransportOptions options, ConnectionHandler handler, NettyTransport.Io io,
            Duration flushLinger) throws IOException {
        IoFlavour.Choice choice = IoFlavour.choose(io);
        IoFlavour flavour = choice.flavour();
        NettyServer server = new NettyServer(options, handler, flavour, flushLinger.toNanos());
        try {
            server.bind(flavour);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("Netty transport listening on {} ({}, {} event loops, flush linger {} µs{})", server.address, flavour,
                server.outboxes.size(), flushLinger.toNanos() / 1000, choice.why().isEmpty() ? "" : "; " + choice.why());
        return server;
    }

    private void bind(IoFlavour flavour) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, loops)
                .channel(flavour.serverChannel())
                .option(ChannelOption.SO_BACKLOG, options.acceptBacklog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelSetup(this, options));
        var bound = bootstrap.bind(options.host(), options.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io
                    : new IOException("Could not bind " + options.host() + ":" + options.port(), cause);
        }
        listener = bound.channel();
        address = (InetSocketAddress) listener.localAddress();
    }

    /** The I/O this server runs on. */
    IoFlavour flavour() {
        return flavour;
    }

    ConnectionHandler handler() {
        return handler;
    }

    boolean isClosed() {
        return closed.get();
    }

    TextFrames<ByteBuf> textFrames() {
        return textFrames;
    }

    String nextId() {
        return "netty-" + ids.incrementAndGet();
    }

    Outbox outboxOf(Channel channel) {
        return outboxes.get(channel.eventLoop());
    }

    /** A connection completed its handshake; false if the server is stopping and it must not be handed out. */
    boolean add(NettyConnection connection) {
        return live.add(connection);
    }

    void remove(NettyConnection connection) {
        live.remove(connection);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Channel listening = listener;
        if (listening != null) {
            listening.close().awaitUninterruptibly(); // the port is free from here on
        }
        live.shutDown(options.closeGracePeriod()); // the event loops' shutdown then closes what is left
        Future<?> acceptorDone = acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Future<?> loopsDone = loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        acceptorDone.awaitUninterruptibly(5, TimeUnit.SECONDS);
        loopsDone.awaitUninterruptibly(5, TimeUnit.SECONDS);
        textFrames.close();
    }
}
