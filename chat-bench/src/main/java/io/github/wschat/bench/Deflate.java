package io.github.wschat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The eager clients' permessage-deflate, as a browser does it: the offer, the server's answer, each
 * compressed frame from the server inflated with a window kept for the connection, and each line
 * sent compressed with a window kept between the client's lines. The JDK's zlib, directly.
 */
final class Deflate {

    static final HttpHeaders OFFER = new DefaultHttpHeaders()
            .set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, "permessage-deflate; client_max_window_bits");

    private static final AttributeKey<Deflater> SENDING = AttributeKey.valueOf("wschat-bench-deflater");
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int RSV1 = 0b100;

    private Deflate() {
    }

    /** A line to send: compressed where the server agreed, as it is where it did not. */
    static TextWebSocketFrame frame(Channel channel, String text) {
        Deflater deflater = channel.attr(SENDING).get();
        if (deflater == null) {
            return new TextWebSocketFrame(text);
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[utf8.length + 64];
        int length;
        synchronized (deflater) {
            deflater.setInput(utf8);
            length = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        }
        return new TextWebSocketFrame(true, RSV1, Unpooled.wrappedBuffer(out, 0, length - TAIL.length));
    }

    /** Reads the handshake's answer: where the server agreed, the connection's lines go compressed. */
    static final class Agreement extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpResponse response) {
                String agreed = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, "");
                if (agreed.startsWith("permessage-deflate")) {
                    ctx.channel().attr(SENDING).set(new Deflater(Deflater.DEFAULT_COMPRESSION, true));
                }
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Inflates the server's compressed frames into plain ones. One per connection, on its event loop. */
    static final class Inflating extends ChannelInboundHandlerAdapter {
        private final Inflater inflater = new Inflater(true);
        private byte[] out = new byte[8192];

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws DataFormatException {
            if (msg instanceof TextWebSocketFrame frame && (frame.rsv() & RSV1) != 0) {
                ByteBuf content = frame.content();
                inflater.setInput(content.nioBuffer());
                int length = drain(0);
                inflater.setInput(TAIL);
                length = drain(length);
                frame.release();
                ctx.fireChannelRead(new TextWebSocketFrame(Unpooled.wrappedBuffer(Arrays.copyOf(out, length))));
                return;
            }
            ctx.fireChannelRead(msg);
        }

        private int drain(int length) throws DataFormatException {
            while (true) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int n = inflater.inflate(out, length, out.length - length);
                length += n;
                if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                    return length;
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inflater.end();
            Deflater deflater = ctx.channel().attr(SENDING).getAndSet(null);
            if (deflater != null) {
                synchronized (deflater) {
                    deflater.end();
                }
            }
            ctx.fireChannelInactive();
        }
    }
}
