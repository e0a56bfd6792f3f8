package io.github.wschat.spi;

import io.github.wschat.CloseCodes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates the compressed messages one client sends ({@code permessage-deflate}, RFC 7692), frame
 * by frame, with the message limit applied to the inflated size while inflating: a small frame that
 * would inflate to gigabytes is refused once the limit's worth of output has been produced, so the
 * memory taken is bounded by the limit, not by what the frame would inflate to. Made by
 * {@link PerMessageDeflate#newInflater(int)}.
 *
 * <p>Not thread-safe: one per connection, used by the thread that reads its frames. The zlib state
 * (a 32 KiB window and some 10 KiB more, outside the heap) is made at the first compressed message;
 * where the client compresses each message on its own it is let go after every message.
 * {@link #close()} frees it at once.
 */
public final class MessageInflater implements AutoCloseable {

    /** What RFC 7692 has the sender remove from the end of each message, and the receiver add back. */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int CHUNK = 16 * 1024;
    private static final int MIN_FIRST = 256;

    private final int maxMessageBytes;
    private final boolean contextTakeover;
    private Inflater inflater;
    private long messageBytes;
    /** The frame being inflated, and how much of it is filled. */
    private byte[] out;
    private int length;

    MessageInflater(int maxMessageBytes, boolean contextTakeover) {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.contextTakeover = contextTakeover;
    }

    /**
     * Inflates one frame of a compressed message: the first frame (with RSV1) and each continuation
     * after it, in order.
     *
     * @param payload the frame's payload, unmasked; read to its end
     * @param fin whether the frame ends the message
     * @return the frame's inflated bytes
     * @throws Refused with 1009 if the message inflates past the limit, 1007 if the data is not
     *     valid deflate data; the connection is to be failed with that code
     */
    public byte[] inflate(ByteBuffer payload, boolean fin) throws Refused {
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        // Sized from the frame (a chat line inflates to a few times its compressed size), grown as needed:
        // a chunk for every small frame was 16 KiB allocated, and copied down, per line.
        long first = Math.max(MIN_FIRST, Math.min(CHUNK, 4L * payload.remaining()));
        out = new byte[(int) Math.min(first, maxMessageBytes - messageBytes + 1)];
        length = 0;
        try {
            inflater.setInput(payload);
            drain();
            if (fin) {
                if (!inflater.finished()) {
                    inflater.setInput(TAIL);
                    drain();
                }
                endMessage();
            }
        } catch (DataFormatException e) {
            reset();
            throw new Refused(CloseCodes.INVALID_PAYLOAD, "invalid compressed data");
        } finally {
            payload.position(payload.limit());
        }
        byte[] inflated = length == out.length ? out : Arrays.copyOf(out, length);
        out = null;
        return inflated;
    }

    /** Inflates the input given, into {@link #out}, grown as needed but never past the limit and a byte. */
    private void drain() throws DataFormatException, Refused {
        while (true) {
            if (length == out.length) {
                long room = maxMessageBytes - messageBytes + 1;
                out = Arrays.copyOf(out, (int) Math.min(length + room, (long) length + Math.max(CHUNK, length)));
            }
            int produced = inflater.inflate(out, length, out.length - length);
            length += produced;
            messageBytes += produced;
            if (messageBytes > maxMessageBytes) {
                reset();
                out = null;
                throw new Refused(CloseCodes.MESSAGE_TOO_BIG,
                        "message over " + maxMessageBytes + " bytes once inflated");
            }
            if (produced == 0) {
                if (inflater.needsDictionary()) {
                    throw new DataFormatException("a preset dictionary is not allowed");
                }
                if (inflater.needsInput() || inflater.finished()) {
                    return;
                }
            }
        }
    }

    private void endMessage() {
        messageBytes = 0;
        if (!contextTakeover || inflater.finished()) {
            // No window to keep, or the client ended its stream (BFINAL): the next message starts anew.
            reset();
        }
    }

    private void reset() {
        messageBytes = 0;
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** Frees the zlib state; a later message would make a new one. */
    @Override
    public void close() {
        reset();
    }

    /** A compressed message that is to fail the connection, with the close code to fail it with. */
    public static final class Refused extends Exception {

        private static final long serialVersionUID = 1L;

        /** The close code. */
        private final int code;

        Refused(int code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }

        /**
         * The close code to fail the connection with.
         *
         * @return 1009 or 1007
         */
        public int code() {
            return code;
        }
    }
}
