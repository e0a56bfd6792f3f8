package io.github.wschat.tck.autobahn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * One frame as a case describes it: opcode, FIN, reserved bits, payload, and the size of the pieces it
 * is written in; encoded masked, as a client's. Immutable; built with {@link #of} and the methods that
 * return a changed copy.
 */
record Frame(int opcode, boolean fin, int rsv, byte[] payload, int chop) {

    static Frame of(int opcode, byte[] payload) {
        return new Frame(opcode, true, 0, payload, 0);
    }

    static Frame of(int opcode, String payload) {
        return of(opcode, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with exactly this payload (a code, a reason, or anything). */
    static Frame close(byte[] payload) {
        return of(8, payload);
    }

    static Frame close(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return of(8, payload);
    }

    Frame fin(boolean fin) {
        return new Frame(opcode, fin, rsv, payload, chop);
    }

    Frame rsv(int rsv) {
        return new Frame(opcode, fin, rsv, payload, chop);
    }

    /** Written to the socket in pieces of this many bytes, each flushed. */
    Frame chop(int chop) {
        return new Frame(opcode, fin, rsv, payload, chop);
    }

    /** The first bytes of the frame, up to its mask, for a payload of {@code length} bytes. */
    byte[] header(int length) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(10);
        frame.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode & 0x0f);
        if (length < 126) {
            frame.write(0x80 | length);
        } else if (length < 65536) {
            frame.write(0x80 | 126);
            frame.write(length >> 8);
            frame.write(length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) length >> shift));
            }
        }
        return frame.toByteArray();
    }

    byte[] encode(SecureRandom random) {
        int length = payload.length;
        ByteArrayOutputStream frame = new ByteArrayOutputStream(length + 14);
        frame.writeBytes(header(length));
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.writeBytes(mask);
        byte[] masked = new byte[length];
        for (int i = 0; i < length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.writeBytes(masked);
        return frame.toByteArray();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "frame(op=%d fin=%s rsv=%d len=%d chop=%d)", opcode, fin, rsv, payload.length,
                chop);
    }
}
