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
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        OutputStream out = raw.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
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
}
