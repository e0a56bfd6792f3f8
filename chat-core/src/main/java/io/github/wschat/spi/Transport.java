package io.github.wschat.spi;

import java.io.IOException;

/**
 * A WebSocket library, adapted to wschat. It comes in two shapes, with one method for both:
 *
 * <ul>
 *   <li>A transport that <em>binds a port</em> (Java-WebSocket, Netty) is a stateless factory: each
 *       {@link #start} binds the options' host and port and owns its threads. Found with
 *       {@link java.util.ServiceLoader} (see {@link Transports}) or passed explicitly.
 *   <li>A transport <em>mounted into a container</em> that owns the port, the HTTP exchange and the
 *       threads (the Jakarta WebSocket transport) is a mount point, prepared the container's way
 *       first; {@link #start} then attaches the handler to it, and the options that belong to the
 *       container's connector (host, port, TLS, backlog, handshake timeout) are the container's.
 *       Passed explicitly.
 * </ul>
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
     * Starts accepting WebSocket connections: binds a server socket, or attaches to the container the
     * transport is mounted in. Returns once handshakes reach the handler.
     *
     * <p>For each handshake the transport calls {@link ConnectionHandler#admit}; if admitted, it
     * completes the handshake, calls {@link ConnectionHandler#connected} with the new connection,
     * and then delivers the connection's {@code open} event.
     *
     * @param options where to listen and how
     * @param handler receives the connections; called from transport threads
     * @return the running server
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if a mounted transport is not mounted, or serves another handler
     */
    TransportServer start(TransportOptions options, ConnectionHandler handler) throws IOException;
}
