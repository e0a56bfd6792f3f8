package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.MessageInflater;
import java.nio.ByteBuffer;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;

/**
 * Inflates a connection's compressed messages before Java-WebSocket's decoder sees them: it reads
 * the client's bytes frame by frame and gives the decoder the same frames, except that the frames
 * of a message whose first frame had RSV1 set are inflated ({@link MessageInflater}, the message
 * limit applied to the inflated size as it grows) and re-encoded plain (RSV1 clear, masked with a
 * zero key). The library's own extension support cannot be used for this: it inflates without a
 * bound, and forgets a message is compressed when a ping comes between its fragments.
 *
 * <p>RSV1 on a control or continuation frame fails the connection with 1002, data that does not
 * inflate with 1007, a message that inflates past the limit with 1009. A frame is kept until it is
 * whole, so at most one frame (bounded by the frame limit, checked here from its header) is held. One per connection, used by its decoding thread; the zlib state of a client
 * that keeps its window is freed with the connection, by the garbage collector.
 */
final class InflatingFrames {

    private static final int MAX_HEADER = 14;
    private static final int RSV1 = 0x40;
    private static final int OPCODE = 0x0f;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;

    private final MessageInflater inflater;
    private final int maxFrameSize;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /** The start of a frame too short to tell its length (under {@value #MAX_HEADER} bytes). */
    private ByteBuffer head = NOTHING;
    /** A frame whose length is known, allocated whole and filled as its bytes come; null for none. */
    private ByteBuffer frame;
    private boolean compressedMessage;
    private boolean passThrough;

    InflatingFrames(MessageInflater inflater, int maxFrameSize) {
        this.inflater = inflater;
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * The frames of {@code input} and what was held from before, with compressed messages inflated;
     * an incomplete frame at the end is held for the next call. A frame that comes in many reads is
     * copied once, into a buffer of its size, not joined again with each read (which made a large
     * frame arriving in small pieces cost the square of its size).
     */
    ByteBuffer translate(ByteBuffer input) throws InvalidDataException {
        if (passThrough) {
            return input;
        }
        ByteBuffer out = ByteBuffer.allocate(input.remaining() + 64);
        ByteBuffer bytes = input;
        if (frame != null) {
            int take = Math.min(frame.remaining(), input.remaining());
            frame.put(input.slice(input.position(), take));
            input.position(input.position() + take);
            if (frame.hasRemaining()) {
                return out.flip();
            }
            out = append(out, rewrite(frame.flip()));
            frame = null;
        } else if (head.hasRemaining()) {
            bytes = concat(head, input);
        }
        while (bytes.hasRemaining()) {
            int start = bytes.position();
            int frameLength = frameLength(bytes);
            if (frameLength == -2) {
                // Over the frame limit by its header: the decoder refuses it (1009) from what it is given.
                passThrough = true;
                out = append(out, bytes);
                break;
            }
            if (frameLength < 0) {
                break;
            }
            if (bytes.remaining() < frameLength) {
                frame = ByteBuffer.allocate(frameLength).put(bytes);
                break;
            }
            ByteBuffer whole = bytes.duplicate();
            whole.limit(start + frameLength);
            bytes.position(start + frameLength);
            out = append(out, rewrite(whole));
        }
        head = bytes.hasRemaining() ? copy(bytes) : NOTHING;
        input.position(input.limit());
        return out.flip();
    }

    /**
     * The whole length of the frame at the buffer's position, -1 if its header is not all there yet,
     * -2 if it is over the limit.
     */
    private int frameLength(ByteBuffer bytes) {
        int at = bytes.position();
        int available = bytes.remaining();
        if (available < 2) {
            return -1;
        }
        int length7 = bytes.get(at + 1) & 0x7f;
        int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((bytes.get(at + 1) & 0x80) != 0 ? 4 : 0);
        if (available < header) {
            return -1;
        }
        long payload = length7 < 126 ? length7
                : length7 == 126 ? bytes.getShort(at + 2) & 0xffff : bytes.getLong(at + 2);
        if (payload < 0 || payload > maxFrameSize) {
            return -2;
        }
        return (int) (header + payload);
    }

    private ByteBuffer rewrite(ByteBuffer frame) throws InvalidDataException {
        int first = frame.get(frame.position()) & 0xff;
        int opcode = first & OPCODE;
        boolean rsv1 = (first & RSV1) != 0;
        boolean control = (opcode & 0x8) != 0;
        boolean fin = (first & 0x80) != 0;
        if (rsv1 && (control || opcode == CONTINUATION)) {
            throw new InvalidFrameException("RSV1 on a " + (control ? "control" : "continuation") + " frame");
        }
        if (opcode == TEXT || opcode == BINARY) {
            compressedMessage = rsv1;
        }
        if (control || !compressedMessage || (opcode != CONTINUATION && !rsv1)) {
            return frame;
        }
        byte[] inflated;
        try {
            inflated = inflater.inflate(unmaskedPayload(frame), fin);
        } catch (MessageInflater.Refused refused) {
            throw refused.code() == io.github.wschat.CloseCodes.MESSAGE_TOO_BIG
                    ? new LimitExceededException(refused.getMessage(), maxFrameSize)
                    : new InvalidDataException(refused.code(), refused.getMessage());
        }
        if (fin) {
            compressedMessage = false;
        }
        return encode(first & ~RSV1, inflated);
    }

    private static ByteBuffer unmaskedPayload(ByteBuffer frame) {
        int at = frame.position();
        int length7 = frame.get(at + 1) & 0x7f;
        boolean masked = (frame.get(at + 1) & 0x80) != 0;
        int keyAt = at + 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
        int payloadAt = keyAt + (masked ? 4 : 0);
        byte[] payload = new byte[frame.limit() - payloadAt];
        for (int i = 0; i < payload.length; i++) {
            byte b = frame.get(payloadAt + i);
            payload[i] = masked ? (byte) (b ^ frame.get(keyAt + (i & 3))) : b;
        }
        return ByteBuffer.wrap(payload);
    }

    /** A client frame again: masked (the decoder insists), with a zero key, so the payload goes as it is. */
    private static ByteBuffer encode(int first, byte[] payload) {
        int length = payload.length;
        ByteBuffer frame = ByteBuffer.allocate(MAX_HEADER + length);
        frame.put((byte) first);
        if (length <= 125) {
            frame.put((byte) (0x80 | length));
        } else if (length <= 0xffff) {
            frame.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(length);
        }
        return frame.putInt(0).put(payload).flip();
    }

    private static ByteBuffer append(ByteBuffer out, ByteBuffer frame) {
        if (out.remaining() < frame.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + frame.remaining()));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
        return out.put(frame);
    }

    private static ByteBuffer concat(ByteBuffer first, ByteBuffer second) {
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining());
        both.put(first).put(second.duplicate());
        return both.flip();
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer kept = ByteBuffer.allocate(bytes.remaining());
        kept.put(bytes);
        return kept.flip();
    }
}
