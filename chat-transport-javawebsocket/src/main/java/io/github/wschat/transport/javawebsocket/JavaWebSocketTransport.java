package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.io.IOException;
import java.util.Objects;

/**
 * The transport on <a href="https://github.com/TooTallNate/Java-WebSocket">Java-WebSocket</a>,
 * registered for {@link java.util.ServiceLoader} under the name {@value #NAME}. Stateless and
 * thread-safe.
 *
 * <p>What it does with the {@link TransportOptions}: binds {@code host:port} with
 * {@code SO_REUSEADDR} (so a restarted server binds a port in TIME_WAIT at once) and the given
 * accept backlog; pings every peer once a ping interval and closes the connection of one that has
 * answered nothing for one and a half intervals (whole seconds, as Java-WebSocket counts); drops a
 * socket that has not completed its opening handshake within the handshake timeout (Java-WebSocket
 * alone would wait for ever); speaks {@code wss://} when the options carry an SSLContext; sets
 * {@code TCP_NODELAY}; refuses a frame, or a fragmented message, larger than the message limit as
 * soon as its header says so (close 1009), so a 100 MiB frame is never buffered. Threads: one
 * selector thread, one decoder thread per core, Java-WebSocket's ping timer and one timer for
 * handshake deadlines; handlers run on the decoder thread that owns the connection, or on the
 * selector thread for a close it detects.
 *
 * <p>A refused handshake is answered with the status and reason the
 * {@link io.github.wschat.spi.Admission} gives (written to the socket ahead of Java-WebSocket's own
 * {@code 404 WebSocket Upgrade Failure}, which it sends for every refusal); the reason is also
 * logged at debug level.
 */
public final class JavaWebSocketTransport implements Transport {

    /** The name of this transport. */
    public static final String NAME = "java-websocket";

    /** Creates the transport; it holds no state. */
    public JavaWebSocketTransport() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportServer start(TransportOptions options, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        JavaWebSocketServer server = new JavaWebSocketServer(options, handler);
        server.startAndAwaitBinding();
        return server;
    }
}
