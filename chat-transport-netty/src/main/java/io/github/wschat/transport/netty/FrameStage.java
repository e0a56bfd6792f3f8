package io.github.wschat.transport.netty;

import io.github.wschat.CloseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The frame stage: whole text messages (fragments joined, the message limit applied to their sum),
 * pings answered, the closing handshake, the idle watch's pings and verdict, and failures of the
 * stages below. One per connection; runs on its event loop.
 */
final class FrameStage extends ChannelInboundHandlerAdapter {

    private final NettyConnection connection;
    private final int maxMessageBytes;
    private CompositeByteBuf fragments;
    /** Whether the message being read (whole or in fragments) is binary. */
    private boolean binaryMessage;

    FrameStage(NettyConnection connection, int maxMessageBytes) {
        this.connection = connection;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connection.attach(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof WebSocketFrame frame) {
                read(ctx, frame);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            binaryMessage = frame instanceof BinaryWebSocketFrame;
            if (frame.isFinalFragment()) {
                deliver(frame.content());
            } else {
                fragments = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                append(ctx, frame);
            }
        } else if (frame instanceof ContinuationWebSocketFrame continuation) {
            if (fragments != null && append(ctx, continuation) && continuation.isFinalFragment()) {
                try {
                    deliver(fragments);
                } finally {
                    releaseFragments();
                }
            }
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            connection.peerClosed(close.statusCode(), close.reasonText());
        }
        // A pong needs no answer: reading it has told the idle watch that the peer lives.
    }

    /** A whole message: text to the connection, binary to its binary handlers (or a 1003 close). */
    private void deliver(ByteBuf message) {
        if (binaryMessage) {
            connection.receivedBinary(ByteBufUtil.getBytes(message));
        } else {
            connection.received(message.toString(StandardCharsets.UTF_8));
        }
    }

    /** Adds a fragment; false, and the connection closed with 1009, if the message grows past the limit. */
    private boolean append(ChannelHandlerContext ctx, WebSocketFrame fragment) {
        if ((long) fragments.readableBytes() + fragment.content().readableBytes() > maxMessageBytes) {
            releaseFragments();
            connection.failProtocol(CloseCodes.MESSAGE_TOO_BIG, "message over " + maxMessageBytes + " bytes");
            return false;
        }
        fragments.addComponent(true, fragment.content().retain());
        return true;
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle) {
            if (idle.isFirst()) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            } else {
                connection.peerSilent();
            }
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.checkBudget();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFragments();
        connection.channelClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.pipelineFailed(cause);
    }
}
