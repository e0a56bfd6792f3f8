package io.github.wschat.transport.javawebsocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

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

    /** Answers the client with this status (408 or 503), straight to the socket. */
    void answer(int status) {
        try {
            HttpAnswer.write(socket, status, status == 408 ? "the handshake did not arrive in time"
                    : "the server is busy; try again", status == 503 ? "Retry-After: 1\r\n" : "");
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
