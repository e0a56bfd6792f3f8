package io.github.wschat.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.zip.Deflater;

/**
 * A server's text frames (RFC 6455, unmasked), plain or compressed with {@code permessage-deflate},
 * in a transport's wire form: for a transport that writes encoded frames itself, so that a message
 * fanned out to a room is encoded, and compressed, once. One per server.
 *
 * <p>A {@link SharedText} keeps at most two forms made here: the plain frame, and the compressed
 * one (or the finding that the message stays plain: below the threshold, or no smaller). Each
 * member gets the compressed frame if it negotiated the extension and its window takes the message
 * ({@link PerMessageDeflate#accepts(int)}), else the plain one.
 *
 * <p>Thread-safe.
 *
 * @param <F> the transport's form of an encoded frame (e.g. a read-only buffer, or Netty's buffer)
 */
public final class TextFrames<F> {

    private static final int FIN_TEXT = 0x81;
    private static final int RSV1 = 0x40;

    private final MessageDeflater deflater;
    private final IntFunction<ByteBuffer> sharedAllocator;
    private final Function<ByteBuffer, F> wrap;
    // Fixed encoders: a SharedText keeps its forms by encoder.
    private final Function<String, F> plain = this::plainShared;
    private final Function<String, Deflated<F>> deflated = this::deflatedShared;

    private record Deflated<F>(F frame, int plainBytes) {
    }

    /**
     * @param compression how frames are compressed; with {@link Compression#off()} every frame is plain
     * @param sharedAllocator allocates the buffer of a frame shared by many connections (e.g.
     *     {@link ByteBuffer#allocateDirect}); single frames go on the heap
     * @param wrap turns an encoded frame, positioned at its start, into the transport's form
     */
    public TextFrames(Compression compression, IntFunction<ByteBuffer> sharedAllocator, Function<ByteBuffer, F> wrap) {
        this.deflater = new MessageDeflater(Objects.requireNonNull(compression, "compression"));
        this.sharedAllocator = Objects.requireNonNull(sharedAllocator, "sharedAllocator");
        this.wrap = Objects.requireNonNull(wrap, "wrap");
    }

    /**
     * The compression setting.
     *
     * @return what this server negotiates and how it compresses
     */
    public Compression compression() {
        return deflater.compression();
    }

    /**
     * The frame of a shared message for a client that negotiated no compression.
     *
     * @param text the message
     * @return the frame, made once per message; the caller must not change it (give each connection a view)
     */
    public F shared(SharedText text) {
        return text.wireForm(plain);
    }

    /**
     * The frame of a shared message for a client that negotiated compression: compressed once, for
     * every such client, where it is worth it and the client's window takes it.
     *
     * @param text the message
     * @param agreement what the client negotiated
     * @return the compressed or the plain frame, each made once per message
     */
    public F shared(SharedText text, PerMessageDeflate agreement) {
        if (compression().mode() == Compression.Mode.OFF) {
            return shared(text);
        }
        Deflated<F> form = text.wireForm(deflated);
        return form.frame() != null && agreement.accepts(form.plainBytes()) ? form.frame() : shared(text);
    }

    /**
     * A frame for one client that negotiated no compression.
     *
     * @param text the message
     * @return the frame, on the heap
     */
    public F single(String text) {
        return wrap.apply(encode(utf8(text), false, ByteBuffer::allocate));
    }

    /**
     * A frame for one client that negotiated compression, compressed on its own where it is worth it
     * and the client's window takes it.
     *
     * @param text the message
     * @param agreement what the client negotiated
     * @return the frame, on the heap
     */
    public F single(String text, PerMessageDeflate agreement) {
        byte[] utf8 = utf8(text);
        byte[] compressed = compression().enabled() && agreement.accepts(utf8.length) ? deflater.deflate(utf8) : null;
        return wrap.apply(compressed == null ? encode(utf8, false, ByteBuffer::allocate)
                : encode(compressed, true, ByteBuffer::allocate));
    }

    /**
     * A frame compressed with a connection's own deflater, which keeps its window between messages
     * ({@link Compression.Mode#DEDICATED}). The caller compresses and queues a connection's frames
     * under one lock, in the order the client is to inflate them. Messages below the threshold go plain
     * (the window is then left as it was, as the client's is).
     *
     * @param text the message
     * @param own the connection's raw deflater
     * @return the frame, on the heap
     */
    public F dedicated(String text, Deflater own) {
        byte[] utf8 = utf8(text);
        if (utf8.length < compression().threshold()) {
            return wrap.apply(encode(utf8, false, ByteBuffer::allocate));
        }
        return wrap.apply(encode(MessageDeflater.deflate(own, utf8), true, ByteBuffer::allocate));
    }

    /** Frees the compression state. */
    public void close() {
        deflater.close();
    }

    private F plainShared(String text) {
        return wrap.apply(encode(utf8(text), false, sharedAllocator));
    }

    private Deflated<F> deflatedShared(String text) {
        byte[] utf8 = utf8(text);
        byte[] compressed = deflater.deflate(utf8);
        return new Deflated<>(compressed == null ? null : wrap.apply(encode(compressed, true, sharedAllocator)),
                utf8.length);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes one final text frame, unmasked.
     *
     * @param payload the payload
     * @param compressed whether to set RSV1 (the payload is compressed)
     * @param allocate allocates the frame's buffer
     * @return the frame, positioned at its start
     */
    public static ByteBuffer encode(byte[] payload, boolean compressed, IntFunction<ByteBuffer> allocate) {
        int length = payload.length;
        ByteBuffer frame = allocate.apply((length <= 125 ? 2 : length <= 0xffff ? 4 : 10) + length);
        frame.put((byte) (compressed ? FIN_TEXT | RSV1 : FIN_TEXT));
        if (length <= 125) {
            frame.put((byte) length);
        } else if (length <= 0xffff) {
            frame.put((byte) 126).putShort((short) length);
        } else {
            frame.put((byte) 127).putLong(length);
        }
        return frame.put(payload).flip();
    }
}
