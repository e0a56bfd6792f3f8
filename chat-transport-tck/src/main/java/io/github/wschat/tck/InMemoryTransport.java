package io.github.wschat.tck;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport without sockets, for fast unit tests of code built on wschat: start a server with it,
 * then open {@link InMemoryClient}s with {@link InMemoryServer#connect}. Events reach the server's
 * connections on the server's own threads with the same guarantees as a socket transport; nothing
 * is registered with {@link java.util.ServiceLoader}, so pass it explicitly. It enforces the
 * message size limit; it has no outbound queue (a client's messages are kept until read), so the
 * outbound budget does not apply. Thread-safe.
 *
 * <pre>{@code
 * InMemoryTransport transport = new InMemoryTransport();
 * try (ChatServer chat = ChatServer.builder().transport(transport).port(0).start()) {
 *     InMemoryServer server = transport.lastStarted();
 *     InMemoryClient ann = server.connect("/chat");
 *     ann.send("hi");
 *     assertEquals("user-...: hi", ann.nextMessage(Duration.ofSeconds(5)));
 * }
 * }</pre>
 */
public final class InMemoryTransport implements Transport {

    /** The name of this transport. */
    public static final String NAME = "in-memory";

    private final AtomicInteger ports = new AtomicInteger(40000);
    private volatile InMemoryServer lastStarted;

    /** Creates a transport. */
    public InMemoryTransport() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportServer start(TransportOptions options, ConnectionHandler handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        int port = options.port() != 0 ? options.port() : ports.incrementAndGet();
        InMemoryServer server = new InMemoryServer(options, handler, port);
        lastStarted = server;
        return server;
    }

    /**
     * The server this transport started last, for code that started it indirectly (e.g. through a
     * {@code ChatServer}).
     *
     * @return the server
     * @throws IllegalStateException if none was started
     */
    public InMemoryServer lastStarted() {
        InMemoryServer server = lastStarted;
        if (server == null) {
            throw new IllegalStateException("no server started yet");
        }
        return server;
    }
}
