package io.github.wschat.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * Server-to-client text frames, encoded here rather than by Netty's encoder so that one frame can be
 * written to many channels. A server's frames are not masked. Stateless.
 */
final class Frames {

    private static final int FIN_TEXT = 0x81;

    private Frames() {
    }

    /**
     * A frame for many channels: one direct buffer, freed by the garbage collector once no channel
     * holds a view of it, and never released by a write; each channel gets a
     * {@linkplain ByteBuf#duplicate() duplicate}, so a socket write takes it without a copy.
     */
    static ByteBuf shared(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(encode(text, ByteBuffer::allocateDirect)));
    }

    /** A frame for one channel, on the heap. */
    static ByteBuf single(String text) {
        return Unpooled.wrappedBuffer(encode(text, ByteBuffer::allocate));
    }

    private static ByteBuffer encode(String text, IntFunction<ByteBuffer> allocate) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = allocate.apply(headerLength(payload.length) + payload.length);
        putHeader(frame, payload.length);
        return frame.put(payload).flip();
    }

    private static int headerLength(int payloadLength) {
        return payloadLength <= 125 ? 2 : payloadLength <= 0xffff ? 4 : 10;
    }

    private static void putHeader(ByteBuffer frame, int payloadLength) {
        frame.put((byte) FIN_TEXT);
        if (payloadLength <= 125) {
            frame.put((byte) payloadLength);
        } else if (payloadLength <= 0xffff) {
            frame.put((byte) 126).putShort((short) payloadLength);
        } else {
            frame.put((byte) 127).putLong(payloadLength);
        }
    }
}
