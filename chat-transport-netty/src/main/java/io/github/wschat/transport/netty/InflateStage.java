package io.github.wschat.transport.netty;

import io.github.wschat.CloseCodes;
import io.github.wschat.spi.MessageInflater;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The inflate stage, on connections that negotiated {@code permessage-deflate}: the frames of a
 * message whose first frame has RSV1 set are inflated (the message limit applied to the inflated
 * size as it grows, {@link MessageInflater}) and passed on as plain frames, to the UTF-8 check and
 * the frame stage. RSV1 on a control or continuation frame, and RSV2 or RSV3 on any, fail the
 * connection with 1002 (Netty's decoder lets reserved bits through once an extension is
 * negotiated); data that does not inflate, with 1007; a message that inflates past the limit, with
 * 1009. One per connection; runs on its event loop.
 */
final class InflateStage extends ChannelInboundHandlerAdapter {

    // Netty's rsv(): RSV1 is the highest of the three bits.
    private static final int RSV1 = 0b100;

    private final NettyConnection connection;
    private final MessageInflater inflater;
    private boolean compressedMessage;
    private boolean failed;

    InflateStage(NettyConnection connection, MessageInflater inflater) {
        this.connection = connection;
        this.inflater = inflater;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed || !(msg instanceof WebSocketFrame frame)) {
            if (failed) {
                ReferenceCountUtil.release(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
            return;
        }
        boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        boolean continuation = frame instanceof ContinuationWebSocketFrame;
        int rsv = frame.rsv();
        if ((rsv & ~RSV1) != 0 || ((rsv & RSV1) != 0 && !data)) {
            fail(frame, CloseCodes.PROTOCOL_ERROR, (rsv & ~RSV1) != 0 ? "RSV2 and RSV3 must be clear"
                    : "RSV1 on a " + (continuation ? "continuation" : "control") + " frame");
            return;
        }
        if (data) {
            compressedMessage = (rsv & RSV1) != 0;
        } else if (!continuation) {
            ctx.fireChannelRead(frame); // a control frame, between fragments or not
            return;
        }
        if (!compressedMessage) {
            ctx.fireChannelRead(frame);
            return;
        }
        boolean fin = frame.isFinalFragment();
        byte[] inflated;
        try {
            inflated = inflater.inflate(frame.content().nioBuffer(), fin);
        } catch (MessageInflater.Refused refused) {
            fail(frame, refused.code(), refused.getMessage());
            return;
        }
        WebSocketFrame plain = frame instanceof TextWebSocketFrame
                ? new TextWebSocketFrame(fin, 0, Unpooled.wrappedBuffer(inflated))
                : frame instanceof BinaryWebSocketFrame
                ? new BinaryWebSocketFrame(fin, 0, Unpooled.wrappedBuffer(inflated))
                : new ContinuationWebSocketFrame(fin, 0, Unpooled.wrappedBuffer(inflated));
        frame.release();
        if (fin) {
            compressedMessage = false;
        }
        ctx.fireChannelRead(plain);
    }

    private void fail(WebSocketFrame frame, int code, String reason) {
        frame.release();
        failed = true;
        inflater.close();
        connection.failProtocol(code, reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inflater.close();
        ctx.fireChannelInactive();
    }
}
