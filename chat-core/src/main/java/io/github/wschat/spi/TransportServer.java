package io.github.wschat.spi;

import java.net.InetSocketAddress;

/**
 * A running transport server. Thread-safe.
 */
public interface TransportServer extends AutoCloseable {

    /**
     * The address the server is bound to; if port 0 was requested, this has the real port. A transport
     * mounted into a container, which owns the port, gives the address the container was last reached
     * at, or an unresolved address with port 0 before its first handshake.
     *
     * @return the bound address
     */
    InetSocketAddress address();

    /**
     * Stops the server gracefully: stops accepting, closes every open connection with
     * {@link io.github.wschat.CloseCodes#GOING_AWAY 1001}, waits up to the
     * {@linkplain TransportOptions#closeGracePeriod() grace period} for the closing handshakes, then
     * ends the remaining connections, stops the transport's threads and releases the port, so that
     * another server can bind it at once (a mounted transport detaches instead: the container keeps
     * its port, and refuses further handshakes at the mount with 503). When this returns, every connection's {@code close} event
     * has been fired: delivered already, or, if a handler of that connection was running on another
     * thread at that moment, delivered by that thread as soon as the handler returns. A handshake
     * that completes while the server stops is closed with 1001 and never handed out. Idempotent.
     */
    @Override
    void close();
}
