package io.github.wschat.transport.javawebsocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;

/**
 * Wraps Java-WebSocket's plain socket factory so that its selector writes every frame queued for a
 * connection with one gathering {@code write} system call, instead of one call per frame.
 *
 * <p>Java-WebSocket's selector writes a connection's queue head first, one buffer per
 * {@code write}, and moves on to the next buffer once one is fully written. The channel given to it
 * here, asked to write the queue's head, writes the head and the frames behind it at once; asked
 * next for a buffer already written, it returns at once. With many lines a second per member this
 * cuts the kernel's share of each delivered line several times. TLS channels are left as they are.
 */
final class GatheringWrites implements WebSocketServerFactory {

    private final WebSocketServerFactory sockets;

    GatheringWrites(WebSocketServerFactory sockets) {
        this.sockets = sockets;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
        return sockets.createWebSocket(adapter, draft);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
        return sockets.createWebSocket(adapter, drafts);
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        ByteChannel wrapped = sockets.wrapChannel(channel, key);
        return wrapped == channel ? new GatheringChannel(channel, key) : wrapped;
    }

    @Override
    public void close() {
        sockets.close();
    }

    /** A socket channel that writes a connection's whole send queue when asked for its head. */
    static final class GatheringChannel implements ByteChannel {

        private static final int MAX_FRAMES = 128;

        private final SocketChannel channel;
        private final SelectionKey key;

        GatheringChannel(SocketChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!src.hasRemaining()) {
                return 0; // written already, behind an earlier head
            }
            if (!(key.attachment() instanceof WebSocketImpl socket) || socket.outQueue.size() < 2
                    || socket.outQueue.peek() != src) {
                return channel.write(src);
            }
            ByteBuffer[] queued = socket.outQueue.toArray(new ByteBuffer[0]);
            int count = Math.min(queued.length, MAX_FRAMES);
            long written = channel.write(queued, 0, count);
            return (int) Math.min(Integer.MAX_VALUE, written);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
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
}
