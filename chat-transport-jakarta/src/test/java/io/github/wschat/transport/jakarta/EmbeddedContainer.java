package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * For the kit, a transport that binds a port: each start runs a new embedded container on the
 * options' host and port (TLS, backlog and handshake timeout on its connector, as an operator would
 * configure it), mounts a {@link JakartaTransport} at every path, and attaches the handler; closing
 * closes the attached server (1001 to every client), then stops the container.
 */
abstract class EmbeddedContainer implements Transport {

    private final boolean containerCompression;
    private final boolean batching;

    EmbeddedContainer() {
        this(false, false);
    }

    /**
     * @param containerCompression whether the mount lets the container compress ({@link JakartaTransport#withContainerCompression()})
     * @param batching whether the container batches messages ({@link JakartaTransport#withBatching()})
     */
    EmbeddedContainer(boolean containerCompression, boolean batching) {
        this.containerCompression = containerCompression;
        this.batching = batching;
    }

    /** A started container. */
    interface Running {
        int port();

        void stop() throws Exception;
    }

    abstract Running startContainer(TransportOptions options, JakartaTransport transport) throws Exception;

    @Override
    public String name() {
        return "jakarta";
    }

    @Override
    public TransportServer start(TransportOptions options, ConnectionHandler handler) throws IOException {
        JakartaTransport transport = containerCompression ? JakartaTransport.at("/*").withContainerCompression()
                : JakartaTransport.at("/*");
        transport = batching ? transport.withBatching() : transport;
        Running container;
        try {
            container = startContainer(options, transport);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the container did not start on " + options.host() + ":" + options.port(), e);
        }
        TransportServer attached = transport.start(options, handler);
        InetSocketAddress address = new InetSocketAddress(options.host(), container.port());
        AtomicBoolean closed = new AtomicBoolean();
        return new TransportServer() {
            @Override
            public InetSocketAddress address() {
                return address;
            }

            @Override
            public void close() {
                if (!closed.compareAndSet(false, true)) {
                    return;
                }
                try {
                    attached.close();
                } finally {
                    try {
                        container.stop();
                    } catch (Exception e) {
                        throw new IllegalStateException("the container did not stop", e);
                    }
                }
            }
        };
    }
}
