package io.github.wschat.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The {@code eager} engine: Netty clients, many connections on a few event-loop threads, each
 * reading every frame as soon as it arrives and handing it on at once, as a browser does.
 */
final class EagerClientEngine implements ClientEngine {

    private static final int IN_FLIGHT = 128;
    private static final int MAX_MESSAGE = 1 << 20;

    private final EventLoopGroup loops;
    private final boolean deflate;
    private final LongAdder wireBytes = new LongAdder();

    EagerClientEngine(int threads) {
        this(threads, false);
    }

    /**
     * @param deflate whether the clients offer permessage-deflate, as browsers do: where the server
     *     agrees, each client inflates what comes compressed and compresses what it sends, with a window
     *     kept between its messages, as browsers do, with the JDK's zlib ({@link Deflate}: Netty's own
     *     client handler costs several times more, and would starve a server sharing the cores)
     */
    EagerClientEngine(int threads, boolean deflate) {
        this.deflate = deflate;
        this.loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-eager", true),
                NioIoHandler.newFactory());
    }

    @Override
    public String name() {
        return deflate ? "eager-deflate" : "eager";
    }

    @Override
    public long wireBytesRead() {
        return wireBytes.sum();
    }

    @Override
    public List<Socket> open(URI uri, int count, String subprotocol, IntFunction<Lines> lines) throws Exception {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Channel>> opening = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            CompletableFuture<Channel> opened = new CompletableFuture<>();
            opened.whenComplete((channel, error) -> inFlight.release());
            Lines receiver = lines.apply(i);
            new Bootstrap().group(loops).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new WireCounter(wireBytes), new HttpClientCodec(),
                                    new HttpObjectAggregator(8192));
                            if (deflate) {
                                channel.pipeline().addLast(new Deflate.Agreement());
                            }
                            channel.pipeline().addLast(
                                    // No Origin header: a browser's page sends one, a load generator does not.
                                    new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                            .webSocketUri(uri).generateOriginHeader(false).allowExtensions(deflate)
                                            .customHeaders(deflate ? Deflate.OFFER : EmptyHttpHeaders.INSTANCE)
                                            // Netty's check would read compressed bytes as text: Inflating comes after it.
                                            .withUTF8Validator(!deflate)
                                            .subprotocol(subprotocol.isEmpty() ? null : subprotocol)
                                            .maxFramePayloadLength(MAX_MESSAGE).build()),
                                    new WebSocketFrameAggregator(MAX_MESSAGE));
                            if (deflate) {
                                channel.pipeline().addLast(new Deflate.Inflating());
                            }
                            channel.pipeline().addLast(new Reader(receiver, opened));
                        }
                    })
                    .connect(uri.getHost(), uri.getPort())
                    .addListener(connected -> {
                        if (!connected.isSuccess()) {
                            opened.completeExceptionally(connected.cause());
                        }
                    });
            opening.add(opened);
        }
        List<Socket> sockets = new ArrayList<>(count);
        for (CompletableFuture<Channel> future : opening) {
            Channel channel = future.get(60, TimeUnit.SECONDS);
            sockets.add(new Socket() {
                @Override
                public Future<?> send(String text) {
                    return channel.writeAndFlush(deflate ? Deflate.frame(channel, text) : new TextWebSocketFrame(text));
                }

                @Override
                public void abort() {
                    channel.close();
                }

                @Override
                public void close() {
                    channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "bye"))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            });
        }
        return sockets;
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Counts the bytes every connection reads from its socket: what the server put on the wire. */
    private static final class WireCounter extends ChannelInboundHandlerAdapter {
        private final LongAdder bytes;

        WireCounter(LongAdder bytes) {
            this.bytes = bytes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buffer) {
                bytes.add(buffer.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Hands each text message on as it arrives; completes the open future once the handshake is done. */
    private static final class Reader extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final Lines lines;
        private final CompletableFuture<Channel> opened;

        Reader(Lines lines, CompletableFuture<Channel> opened) {
            this.lines = lines;
            this.opened = opened;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                opened.complete(ctx.channel());
            } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                opened.completeExceptionally(new java.io.IOException("handshake timed out"));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            lines.line(frame.text());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            opened.completeExceptionally(new java.io.IOException("closed before the handshake completed"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!opened.completeExceptionally(cause)) {
                System.err.println("a client failed: " + cause);
            }
            ctx.close();
        }
    }
}
