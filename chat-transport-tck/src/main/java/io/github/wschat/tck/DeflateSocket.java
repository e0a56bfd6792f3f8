package io.github.wschat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A hand-made WebSocket client that offers {@code permessage-deflate} and speaks it frame by frame,
 * written here from RFC 7692 with the JDK's zlib, independent of any server's code: it compresses
 * what the test asks, sets the bits the test asks (right or wrong), and shows each frame from the
 * server as it came (RSV1 and payload), inflating the compressed ones. Not thread-safe.
 */
final class DeflateSocket implements AutoCloseable {

    static final int FIN = 0x80;
    static final int RSV1 = 0x40;
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int PING = 0x9;
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    /** A frame from the server. */
    record Frame(int first, byte[] payload) {
        int opcode() {
            return first & 0x0f;
        }

        boolean compressed() {
            return (first & RSV1) != 0;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<String, String> responseHeaders;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);

    private DeflateSocket(Socket socket, Map<String, String> responseHeaders) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.responseHeaders = responseHeaders;
    }

    /**
     * Connects and completes the handshake, offering the given extensions.
     *
     * @param offer the {@code Sec-WebSocket-Extensions} value, or null for none
     */
    static DeflateSocket open(int port, String path, String offer, Duration timeout) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) timeout.toMillis());
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String status = line(in);
        assertEquals("HTTP/1.1 101", status.substring(0, Math.min(12, status.length())), status);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new DeflateSocket(socket, headers);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** The response's {@code Sec-WebSocket-Extensions}, or null if it named none. */
    String extensions() {
        return responseHeaders.get("sec-websocket-extensions");
    }

    /** Compresses with this client's window (kept between messages), sync flush, tail removed. */
    byte[] deflate(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        deflater.setInput(utf8);
        byte[] buffer = new byte[utf8.length + 1024];
        int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        return Arrays.copyOf(buffer, length - TAIL.length);
    }

    /** Compresses on its own, with a fresh window. */
    static byte[] deflateAlone(byte[] data) {
        Deflater alone = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            alone.setInput(data);
            byte[] buffer = new byte[data.length + 1024];
            int length = alone.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            return Arrays.copyOf(buffer, length - TAIL.length);
        } finally {
            alone.end();
        }
    }

    /** Sends one masked frame with the given first byte (FIN, RSV bits, opcode) and payload. */
    void send(int first, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(first);
        int length = payload.length;
        if (length <= 125) {
            frame.write(0x80 | length);
        } else if (length <= 0xffff) {
            frame.write(0x80 | 126);
            frame.write(length >>> 8);
            frame.write(length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) length >>> shift));
            }
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        frame.write(mask);
        for (int i = 0; i < length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next frame that is not a ping or pong. */
    Frame next() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            int opcode = first & 0x0f;
            if (opcode != 0x9 && opcode != 0xa) {
                return new Frame(first, payload);
            }
        }
    }

    /** The next text message, inflated if it came compressed; the frame is checked to be final text. */
    String nextText() throws IOException {
        Frame frame = next();
        assertEquals(TEXT, frame.opcode(), "a text frame, not opcode " + frame.opcode());
        return new String(frame.compressed() ? inflate(frame.payload()) : frame.payload(), StandardCharsets.UTF_8);
    }

    /** Inflates a compressed payload with this client's window, as RFC 7692 has it (tail added back). */
    byte[] inflate(byte[] payload) throws IOException {
        inflater.setInput(payload);
        ByteArrayOutputStream inflated = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            drain(buffer, inflated);
            inflater.setInput(TAIL);
            drain(buffer, inflated);
        } catch (DataFormatException e) {
            throw new IOException("the server's compressed frame does not inflate", e);
        }
        return inflated.toByteArray();
    }

    private void drain(byte[] buffer, ByteArrayOutputStream inflated) throws DataFormatException {
        int n;
        while ((n = inflater.inflate(buffer)) > 0) {
            inflated.write(buffer, 0, n);
        }
    }

    /** The close code of the server's close frame, skipping data frames; 1005 for none. */
    int awaitCloseCode() throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = next();
            } catch (java.io.EOFException e) {
                throw new AssertionError("the server hung up without a close frame");
            }
            if (frame.opcode() == 0x8) {
                byte[] p = frame.payload();
                return p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : 1005;
            }
        }
    }

    @Override
    public void close() throws IOException {
        deflater.end();
        inflater.end();
        socket.close();
    }
}
