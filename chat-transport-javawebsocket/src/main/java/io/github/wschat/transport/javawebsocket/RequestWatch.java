package io.github.wschat.transport.javawebsocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket's channel that notes how far the client's opening request has arrived — whether it
 * started, whether its head is complete (the blank line) — so that a handshake deadline can answer
 * with the right status. Past the head it only passes bytes on.
 */
final class RequestWatch implements ByteChannel {

    private final ByteChannel channel;
    private final SocketChannel socket;
    private volatile boolean started;
    private volatile boolean complete;
    // The last bytes of the head seen so far, to find "\r\n\r\n" across reads; selector thread only.
    private int tail;

    RequestWatch(ByteChannel channel, SocketChannel socket) {
        this.channel = channel;
        this.socket = socket;
    }

    boolean started() {
        return started;
    }

    boolean complete() {
        return complete;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int from = dst.position();
        int read = channel.read(dst);
        if (read > 0 && !complete) {
            started = true;
            for (int i = from; i < from + read && !complete; i++) {
                tail = (tail << 8) | (dst.get(i) & 0xff);
                complete = tail == 0x0d0a0d0a;
            }
        }
        return read;
    }

    /**
     * Writes a short response with this status straight to the socket, ahead of anything the library
     * might queue; a fresh socket's send buffer takes it at once.
     */
    void answer(int status) {
        String phrase = status == 408 ? "Request Timeout" : "Service Unavailable";
        String body = status == 408 ? "the handshake did not arrive in time\n" : "the server is busy; try again\n";
        ByteBuffer response = ByteBuffer.wrap(("HTTP/1.1 " + status + " " + phrase + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + (status == 503 ? "Retry-After: 1\r\n" : "")
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        try {
            while (response.hasRemaining() && socket.write(response) > 0) {
                // a few hundred bytes
            }
        } catch (IOException e) {
            // the peer is gone: nothing to answer
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
