package io.github.wschat.spi;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.Deflater;

/**
 * Compresses messages for {@code permessage-deflate} (RFC 7692), each on its own (no context
 * takeover): the form one compressed frame can carry to every client that negotiated the extension.
 * One per server.
 *
 * <p>Thread-safe: any thread may compress; zlib's state (some 260 KiB outside the heap at level 1)
 * is kept in a small pool, so that threads do not make and free it per message, and freed by
 * {@link #close()}.
 */
public final class MessageDeflater implements AutoCloseable {

    private static final int POOL = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final int TAIL = 4;

    private final Compression compression;
    private final BlockingQueue<Deflater> pool = new ArrayBlockingQueue<>(POOL);
    private volatile boolean closed;

    /**
     * @param compression the threshold and level to compress with
     */
    public MessageDeflater(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
    }

    /**
     * The setting this deflater follows.
     *
     * @return the compression setting
     */
    public Compression compression() {
        return compression;
    }

    /**
     * The compressed payload of a message: raw deflate data ending in a sync flush, with its last four
     * bytes ({@code 00 00 ff ff}) removed as RFC 7692 has it, ready to go in a frame with RSV1 set.
     *
     * @param utf8 the message's UTF-8 bytes; not changed
     * @return the compressed payload, or {@code null} if the message is below the threshold or would
     *     not get smaller (it then goes uncompressed)
     */
    public byte[] deflate(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        if (utf8.length < compression.threshold()) {
            return null;
        }
        Deflater deflater = pool.poll();
        if (deflater == null) {
            deflater = new Deflater(compression.level(), true);
        }
        try {
            byte[] compressed = deflate(deflater, utf8);
            return compressed.length < utf8.length ? compressed : null;
        } finally {
            deflater.reset();
            if (closed || !pool.offer(deflater)) {
                deflater.end();
            }
        }
    }

    /**
     * Compresses a message with a deflater that may keep its window from earlier messages (a
     * connection's own, for context takeover), ending with a sync flush and without the tail.
     *
     * @param deflater a raw ({@code nowrap}) deflater; not reset
     * @param utf8 the message
     * @return the compressed payload, whatever its size
     */
    public static byte[] deflate(Deflater deflater, byte[] utf8) {
        deflater.setInput(utf8);
        byte[] out = new byte[utf8.length / 2 + 64];
        int length = 0;
        while (true) {
            length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
            if (length < out.length) {
                break;
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        return Arrays.copyOf(out, Math.max(0, length - TAIL));
    }

    /** Frees the pooled zlib state; a deflater still in use is freed when it comes back. */
    @Override
    public void close() {
        closed = true;
        Deflater deflater;
        while ((deflater = pool.poll()) != null) {
            deflater.end();
        }
    }
}
