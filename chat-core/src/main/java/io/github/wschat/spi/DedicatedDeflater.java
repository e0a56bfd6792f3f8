package io.github.wschat.spi;

import java.util.function.Predicate;
import java.util.zip.Deflater;

/**
 * One client's own compression window, for dedicated permessage-deflate with context takeover. The
 * {@link Deflater} is made when the first message to the client is compressed, not at the handshake:
 * it holds about 256 KiB of native memory, and many clients never get a message long enough to
 * compress. It is ended with the connection.
 *
 * <p>Thread-safe: {@link #use} and {@link #end} take this object's lock, so that an adapter compresses
 * and queues each message in the order the client inflates them, and never after the end.
 */
public final class DedicatedDeflater {

    private final int level;
    private Deflater deflater; // under this
    private boolean ended; // under this

    /**
     * @param level the compression level, 0 to 9
     */
    public DedicatedDeflater(int level) {
        this.level = level;
    }

    /**
     * Runs {@code use} with the window, under this object's lock, making it first if need be.
     *
     * @param use compresses a message with the window and queues it; returns whether it was queued
     * @return what {@code use} returned; false without running it once {@link #end} was called
     */
    public synchronized boolean use(Predicate<Deflater> use) {
        if (ended) {
            return false;
        }
        if (deflater == null) {
            deflater = new Deflater(level, true);
        }
        return use.test(deflater);
    }

    /** Frees the window; later {@link #use} calls do nothing. Idempotent. */
    public synchronized void end() {
        ended = true;
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
    }
}
