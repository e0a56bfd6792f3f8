package io.github.wschat.tck;

import io.github.wschat.CloseCodes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Client frames that break RFC 6455, each with the close code a server must answer them with: the
 * kit sends them over a raw socket. Immutable.
 *
 * @param name what is wrong, for the test's name
 * @param frames the frames the client sends, in order, already encoded
 * @param expectedCode the close code the server must send
 */
record ProtocolViolation(String name, List<byte[]> frames, int expectedCode) {

    private static final int FIN = 0x80;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    @Override
    public String toString() {
        return name;
    }

    void send(OutputStream out) throws IOException {
        for (byte[] frame : frames) {
            out.write(frame);
        }
        out.flush();
    }

    /** Every violation the kit checks, for a server whose message limit is {@code maxMessageBytes}. */
    static List<ProtocolViolation> all(int maxMessageBytes) {
        List<ProtocolViolation> all = new ArrayList<>();
        byte[] hi = utf8("hi");
        all.add(of("an unmasked client frame", CloseCodes.PROTOCOL_ERROR, unmasked(FIN | TEXT, hi)));
        for (int rsv : new int[] {0x40, 0x20, 0x10}) {
            all.add(of("RSV bit 0x" + Integer.toHexString(rsv) + " without an extension", CloseCodes.PROTOCOL_ERROR,
                    masked(FIN | rsv | TEXT, hi)));
        }
        for (int opcode : new int[] {0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf}) {
            all.add(of("reserved opcode 0x" + Integer.toHexString(opcode), CloseCodes.PROTOCOL_ERROR,
                    masked(FIN | opcode, hi)));
        }
        all.add(of("a ping of 126 bytes", CloseCodes.PROTOCOL_ERROR, masked(FIN | PING, new byte[126])));
        all.add(of("a fragmented ping", CloseCodes.PROTOCOL_ERROR, masked(PING, hi)));
        all.add(of("a continuation without a start", CloseCodes.PROTOCOL_ERROR, masked(FIN | CONTINUATION, hi)));
        all.add(of("a text frame inside a fragmented message", CloseCodes.PROTOCOL_ERROR,
                masked(TEXT, hi), masked(FIN | TEXT, hi)));
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999}) {
            all.add(of("a close frame with code " + code, CloseCodes.PROTOCOL_ERROR,
                    masked(FIN | CLOSE, new byte[] {(byte) (code >>> 8), (byte) code})));
        }
        all.add(of("a close payload of one byte", CloseCodes.PROTOCOL_ERROR, masked(FIN | CLOSE, new byte[] {3})));
        all.add(of("invalid UTF-8", CloseCodes.INVALID_PAYLOAD,
                masked(FIN | TEXT, new byte[] {'a', (byte) 0xc3, 0x28})));
        all.add(of("invalid UTF-8 split across fragments", CloseCodes.INVALID_PAYLOAD,
                masked(TEXT, new byte[] {'a', (byte) 0xe2, (byte) 0x82}), masked(FIN | CONTINUATION, new byte[] {0x28})));
        all.add(of("fragments adding up to more than the message limit", CloseCodes.MESSAGE_TOO_BIG,
                masked(TEXT, filled(maxMessageBytes - 10)), masked(FIN | CONTINUATION, filled(100))));
        return List.copyOf(all);
    }

    private static ProtocolViolation of(String name, int code, byte[]... frames) {
        return new ProtocolViolation(name, List.of(frames), code);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    /** A frame as a client must send it: masked. */
    static byte[] masked(int firstByte, byte[] payload) {
        return frame(firstByte, payload, true);
    }

    static byte[] unmasked(int firstByte, byte[] payload) {
        return frame(firstByte, payload, false);
    }

    private static byte[] frame(int firstByte, byte[] payload, boolean masked) {
        int length = payload.length;
        int extended = length <= 125 ? 0 : length <= 0xffff ? 2 : 8;
        byte[] frame = new byte[2 + extended + (masked ? 4 : 0) + length];
        frame[0] = (byte) firstByte;
        int lengthField = extended == 0 ? length : extended == 2 ? 126 : 127;
        frame[1] = (byte) ((masked ? 0x80 : 0) | lengthField);
        int at = 2;
        for (int i = extended - 1; i >= 0; i--) {
            frame[at++] = (byte) ((long) length >>> (8 * i));
        }
        if (masked) {
            System.arraycopy(MASK, 0, frame, at, 4);
            at += 4;
        }
        for (int i = 0; i < length; i++) {
            frame[at + i] = (byte) (masked ? payload[i] ^ MASK[i % 4] : payload[i]);
        }
        return frame;
    }
}
