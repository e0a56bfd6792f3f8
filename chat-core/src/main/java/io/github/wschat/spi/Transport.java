package io.github.wschat.spi;

import java.io.IOException;

/**
 * A WebSocket library, adapted to wschat. Implementations are stateless factories, found with
 * {@link java.util.ServiceLoader} (see {@link Transports}) or passed explicitly.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor if they are
 * registered as a service.
 */
public interface Transport {

    /**
     * A short, stable name, e.g. {@code java-websocket}, used to choose among several transports.
     *
     * @return the name
     */
    String name();

    /**
     * Binds a server socket and starts accepting WebSocket connections. Returns once the server is
     * bound and accepting.
     *
     * <p>For each handshake the transport calls {@link ConnectionHandler#admit}; if admitted, it
     * completes the handshake, calls {@link ConnectionHandler#connected} with the new connection,
     * and then delivers the connection's {@code open} event.
     *
     * @param options where to listen and how
     * @param handler receives the connections; called from transport threads
     * @return the running server
     * @throws IOException if the address cannot be bound
     */
    TransportServer start(TransportOptions options, ConnectionHandler handler) throws IOException;
}
