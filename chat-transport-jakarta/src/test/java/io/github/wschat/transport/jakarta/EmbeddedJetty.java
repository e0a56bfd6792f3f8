package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.TransportOptions;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty 12 (ee10), embedded. */
final class EmbeddedJetty extends EmbeddedContainer {

    EmbeddedJetty() {
        this(false);
    }

    EmbeddedJetty(boolean containerCompression) {
        super(containerCompression, false);
    }

    private EmbeddedJetty(boolean containerCompression, boolean batching) {
        super(containerCompression, batching);
    }

    /** With the container batching messages, flushed when a member's queue empties. */
    static EmbeddedJetty batching() {
        return new EmbeddedJetty(false, true);
    }

    @Override
    Running startContainer(TransportOptions options, JakartaTransport transport) throws Exception {
        Server server = new Server();
        ServerConnector connector = options.tls().map(tls -> {
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setSslContext(tls);
            return new ServerConnector(server, factory);
        }).orElseGet(() -> new ServerConnector(server));
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setAcceptQueueSize(options.acceptBacklog());
        // Until the upgrade, the connection's idle timeout is the handshake deadline.
        connector.setIdleTimeout(options.handshakeTimeout().toMillis());
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        JakartaWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> transport.mount(servletContext));
        server.setHandler(context);
        server.setStopTimeout(options.closeGracePeriod().toMillis());
        server.start();
        return new Running() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void stop() throws Exception {
                server.stop();
            }
        };
    }
}
