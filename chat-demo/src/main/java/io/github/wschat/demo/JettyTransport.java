package io.github.wschat.demo;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import io.github.wschat.transport.jakarta.JakartaTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code --transport jetty}: the chat mounted in an embedded Jetty 12 (ee10) through the Jakarta
 * WebSocket transport, at every path, as an application server would run it. Each start runs a new
 * Jetty on the options' host and port (backlog and handshake timeout on its connector); closing
 * closes the chat (1001 to every client), then stops Jetty. Thread-safe; stateless between starts.
 */
final class JettyTransport implements Transport {

    static final String NAME = "jetty";

    private final boolean batching;

    /**
     * @param batching whether Jetty batches each member's messages, flushed when its queue empties
     *     ({@link JakartaTransport#withBatching()})
     */
    JettyTransport(boolean batching) {
        this.batching = batching;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportServer start(TransportOptions options, ConnectionHandler handler) throws IOException {
        JakartaTransport mount = batching ? JakartaTransport.at("/*").withBatching() : JakartaTransport.at("/*");
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setAcceptQueueSize(options.acceptBacklog());
        // Until the upgrade, the connection's idle timeout is the handshake deadline.
        connector.setIdleTimeout(options.handshakeTimeout().toMillis());
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        JakartaWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> mount.mount(servletContext));
        jetty.setHandler(context);
        jetty.setStopTimeout(options.closeGracePeriod().toMillis());
        try {
            jetty.start();
        } catch (Exception e) {
            stop(jetty);
            throw new IOException("Jetty did not start on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        TransportServer attached;
        try {
            attached = mount.start(options, handler);
        } catch (RuntimeException e) {
            stop(jetty);
            throw e;
        }
        InetSocketAddress address = new InetSocketAddress(options.host(), connector.getLocalPort());
        AtomicBoolean closed = new AtomicBoolean();
        return new TransportServer() {
            @Override
            public InetSocketAddress address() {
                return address;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    try {
                        attached.close();
                    } finally {
                        stop(jetty);
                    }
                }
            }
        };
    }

    private static void stop(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
