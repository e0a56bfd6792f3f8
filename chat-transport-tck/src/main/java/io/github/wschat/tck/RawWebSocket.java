package io.github.wschat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket handshake over a plain socket, for tests of peers that misbehave below what a
 * WebSocket client allows: never reading, never answering pings, sending hand-made frames.
 */
public final class RawWebSocket {

    private RawWebSocket() {
    }

    /**
     * Connects to {@code 127.0.0.1:port}, completes the handshake and returns the socket positioned
     * at the first frame.
     *
     * @param port the server's port
     * @param path the request path
     * @return the open socket; the caller closes it
     * @throws IOException if the connection fails
     */
    public static Socket open(int port, String path) throws IOException {
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = raw.getOutputStream();
        out.write(request(path).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = raw.getInputStream();
        assertEquals("HTTP/1.1 101", new String(in.readNBytes(12), StandardCharsets.US_ASCII));
        int last = 0;
        int current;
        // Skip the rest of the response headers, up to the blank line.
        while ((current = in.read()) != -1) {
            if (last == '\n' && current == '\r') {
                in.read();
                break;
            }
            last = current;
        }
        return raw;
    }

    /**
     * A WebSocket upgrade request for {@code path} on 127.0.0.1, as a client sends it.
     *
     * @param path the request path, with its query
     * @return the request, headers and the blank line that ends them
     */
    public static String request(String path) {
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    /**
     * Reads the server's frames until its close frame and returns the close code; pings and pongs
     * are skipped.
     *
     * @param raw a socket opened by {@link #open}
     * @param timeout how long to wait for each read
     * @return the close code, or 1005 for a close frame without one
     * @throws AssertionError if the server sends a data frame first, or hangs up without a close frame
     * @throws IOException if reading fails
     */
    public static int awaitCloseCode(Socket raw, java.time.Duration timeout) throws IOException {
        return awaitCloseCode(raw, timeout, false);
    }

    /**
     * As {@link #awaitCloseCode(Socket, java.time.Duration)}, skipping data frames too where {@code
     * afterData} (the echoes of what the peer sent before it broke the protocol).
     *
     * @param raw a socket opened by {@link #open}
     * @param timeout how long to wait for each read
     * @param afterData whether data frames may come before the close frame
     * @return the close code, or 1005 for a close frame without one
     * @throws AssertionError if the server hangs up without a close frame, or sends a data frame first
     *     where that is not allowed
     * @throws IOException if reading fails
     */
    public static int awaitCloseCode(Socket raw, java.time.Duration timeout, boolean afterData) throws IOException {
        raw.setSoTimeout((int) timeout.toMillis());
        java.io.DataInputStream in = new java.io.DataInputStream(raw.getInputStream());
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (java.io.EOFException e) {
                throw new AssertionError("the server hung up without a close frame");
            }
            int opcode = first & 0x0f;
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            if (opcode == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
            if (opcode != 0x9 && opcode != 0xa && !afterData) {
                throw new AssertionError("the server took the frame and answered with opcode " + opcode + ": "
                        + new String(payload, 0, Math.min(payload.length, 60), StandardCharsets.UTF_8));
            }
        }
    }
}
