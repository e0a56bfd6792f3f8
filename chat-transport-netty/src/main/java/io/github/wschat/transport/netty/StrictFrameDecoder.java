package io.github.wschat.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Netty's RFC 6455 frame decoder, answering a bad close frame as it answers every other protocol
 * error: with a close frame of its own (1002 for a code that may not be sent, 1007 for a reason that
 * is not UTF-8) before it hangs up. Netty alone hangs up without one, since the peer has already
 * started closing. One per channel, like every decoder.
 */
final class StrictFrameDecoder extends WebSocket13FrameDecoder {

    StrictFrameDecoder(WebSocketDecoderConfig config) {
        super(config);
    }

    @Override
    protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf body) {
        if (body != null && body.readableBytes() >= 2) {
            int code = body.getUnsignedShort(body.readerIndex());
            if (!WebSocketCloseStatus.isValidStatusCode(code)) {
                fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "close code " + code + " may not be sent");
            }
            try {
                StandardCharsets.UTF_8.newDecoder().decode(body.nioBuffer(body.readerIndex() + 2,
                        body.readableBytes() - 2));
            } catch (CharacterCodingException e) {
                fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "close reason is not UTF-8");
            }
        }
        super.checkCloseFrameBody(ctx, body);
    }

    private static void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
        throw new CorruptedWebSocketFrameException(status, reason);
    }
}
