package io.github.wschat.transport.javawebsocket;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.drafts.Draft;

/**
 * A socket whose end of stream comes after the bytes read before it. Java-WebSocket reads on its
 * selector thread and decodes on a worker thread; the selector calls {@code eot()} as soon as a read
 * returns end of stream, and so can close a connection as lost (1006) while the worker has still to
 * decode the close frame that came with it. The JDK's WebSocket client does exactly that: it sends its
 * close frame and shuts its output at once, and a normal close (1000) was reported as a lost
 * connection now and then (docs/upstream-java-websocket.md). Here the end of stream first waits,
 * at most 100 ms and only while there is something to decode, for the worker to decode what was read.
 * Thread-safe as its base class is.
 */
final class OrderlyEndSocket extends WebSocketImpl {

    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final AtomicInteger decoding = new AtomicInteger();

    OrderlyEndSocket(WebSocketListener listener, List<Draft> drafts) {
        super(listener, drafts);
    }

    OrderlyEndSocket(WebSocketListener listener, Draft draft) {
        super(listener, draft);
    }

    @Override
    public void decode(ByteBuffer socketBuffer) {
        decoding.incrementAndGet();
        try {
            super.decode(socketBuffer);
        } finally {
            decoding.decrementAndGet();
        }
    }

    @Override
    public void eot() {
        long until = System.nanoTime() + WAIT_NANOS;
        while ((!inQueue.isEmpty() || decoding.get() > 0) && System.nanoTime() - until < 0) {
            LockSupport.parkNanos(NAP_NANOS);
        }
        super.eot();
    }
}
