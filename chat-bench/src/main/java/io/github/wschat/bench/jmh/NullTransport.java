package io.github.wschat.bench.jmh;

import io.github.wschat.Handshake;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport whose connections go nowhere: they count what they are sent. For microbenchmarks of
 * the chat's own work between a message in and frames queued out, on the calling thread.
 */
final class NullTransport implements Transport {

    private ConnectionHandler handler;
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public String name() {
        return "null";
    }

    @Override
    public TransportServer start(TransportOptions options, ConnectionHandler handler) {
        this.handler = handler;
        return new TransportServer() {
            @Override
            public InetSocketAddress address() {
                return new InetSocketAddress(0);
            }

            @Override
            public void close() {
                // nothing runs
            }
        };
    }

    /** Opens a connection to the target, offering a subprotocol unless it is empty, as a client would. */
    NullConnection connect(String target, String subprotocol) {
        int id = ids.incrementAndGet();
        Map<String, List<String>> headers = subprotocol.isEmpty() ? Map.of()
                : Map.of("Sec-WebSocket-Protocol", List.of(subprotocol));
        Handshake handshake = Handshake.of(target, headers, new InetSocketAddress("127.0.0.1", 1024 + id % 60000));
        Admission admission = handler.admit(handshake);
        if (!admission.accepted()) {
            throw new IllegalStateException(admission.reason());
        }
        NullConnection connection = new NullConnection("null-" + id, handshake, admission.subprotocol());
        connection.open(handler);
        return connection;
    }

    /** A connection that counts the frames and characters it is sent. */
    static final class NullConnection extends AbstractConnection {
        long frames;
        long chars;

        NullConnection(String id, Handshake handshake, String subprotocol) {
            super(id, handshake, subprotocol);
        }

        @Override
        protected boolean sendText(String text) {
            frames++;
            chars += text.length();
            return true;
        }

        @Override
        protected void sendClose(int code, String reason) {
            fireClose(code, reason);
        }

        void open(ConnectionHandler handler) {
            handOver(handler);
        }

        void receive(String text) {
            fireMessage(text);
        }
    }
}
