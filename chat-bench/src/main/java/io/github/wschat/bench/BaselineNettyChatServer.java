package io.github.wschat.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hand-written Netty chat: the seed's chat as a Netty user writes it from Netty's own websocketx
 * example — {@code HttpServerCodec}, {@code HttpObjectAggregator}, {@code WebSocketServerProtocolHandler}
 * at {@code /chat} (any room below it is the one room), a {@code ChannelGroup} written to for every
 * line. On epoll where it loads (as wschat's Netty transport is by default), one acceptor thread and
 * one event loop per core, TCP_NODELAY, a backlog of 1024: the settings wschat's transport uses, so a
 * comparison measures the library, not a setting. The connect storm's peer (issue #38).
 *
 * <p>{@code java -cp chat-bench.jar io.github.wschat.bench.BaselineNettyChatServer PORT}
 */
public final class BaselineNettyChatServer {

    private static final AttributeKey<String> NICK = AttributeKey.valueOf("nick");

    private BaselineNettyChatServer() {
    }

    /**
     * Runs the chat until killed.
     *
     * @param args the port
     * @throws InterruptedException if interrupted while binding
     */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        MultiThreadIoEventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, io);
        MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        ChannelGroup members = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Channel server = new ServerBootstrap().group(acceptor, loops).channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/chat", null, false, 65536, false, true),
                                new Chat(members));
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("baseline ready on " + port + (epoll ? " (epoll)" : " (nio)"));
        server.closeFuture().sync();
    }

    /** A member: joins the group once its handshake is done, says lines to everyone, leaves announced. */
    private static final class Chat extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final ChannelGroup members;

        Chat(ChannelGroup members) {
            this.members = members;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                ctx.channel().attr(NICK).set("user-" + ThreadLocalRandom.current().nextInt(100_000));
                members.add(ctx.channel());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            members.writeAndFlush(new TextWebSocketFrame(ctx.channel().attr(NICK).get() + ": " + frame.text()));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            // The group drops a closed channel by itself, before this runs: the nick says whether it had joined.
            String nick = ctx.channel().attr(NICK).getAndSet(null);
            if (nick != null) {
                members.remove(ctx.channel());
                members.writeAndFlush(new TextWebSocketFrame(" .... " + nick + " has left."));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a broken connection; channelInactive announces it
        }
    }
}
