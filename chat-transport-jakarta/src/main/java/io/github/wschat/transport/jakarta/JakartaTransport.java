package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.server.ServerContainer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * wschat inside a servlet container, through the Jakarta WebSocket API (Jakarta EE 10 and later:
 * Tomcat 10.1+, Jetty 12 ee10/ee11, Undertow, and Spring Boot or Quarkus on them). The container
 * owns the port, the handshake's HTTP exchange and the threads; this transport is <em>mounted</em>
 * into it at URL patterns, and a {@link io.github.wschat.server.ChatServer} started on it
 * <em>attaches</em> to that mount:
 *
 * <pre>{@code
 * JakartaTransport transport = JakartaTransport.at("/chat", "/chat/*");
 * transport.mount(servletContext);   // while the web application starts
 * ChatServer chat = ChatServer.builder().transport(transport).start();
 * ...
 * chat.close();                      // or let the web application stop
 * }</pre>
 *
 * <p>Mounting registers a servlet at the patterns. For every WebSocket handshake it builds the
 * {@link io.github.wschat.Handshake} (the path within the web application, the query, the headers and
 * the remote address), asks the attached server to admit it, answers a refusal with its HTTP status
 * and reason, and otherwise upgrades the request with {@link ServerContainer#upgradeHttpToWebSocket},
 * agreeing the subprotocol the server chose. A handshake while no server is attached is refused with
 * 503; a plain HTTP request at the patterns gets 426. When the web application stops, an attached
 * server is closed first, so that its clients get 1001.
 *
 * <p>Of {@link TransportOptions}, the container decides the host, port, TLS, accept backlog and
 * handshake timeout (configure them on its connector); this transport applies the message limit
 * (1009, counted in UTF-8 bytes), the outbound budget (a slow reader is dropped with 1008), the ping
 * interval (a peer that answers no ping for one and a half intervals is closed, 1006) and the close
 * grace period. Sends never block a container thread: each connection has its own queue, written with
 * the asynchronous remote endpoint, one message in flight at a time.
 *
 * <p>Unlike the transports that bind a port, an instance is a mount point with a state: it is
 * mounted once, into one web application, and serves one started server at a time; after that server
 * is closed, another may be started on it. Thread-safe.
 */
public final class JakartaTransport implements Transport {

    /** The URL patterns of {@link #create()}: where {@code ChatServer} finds its rooms. */
    public static final List<String> DEFAULT_PATTERNS = List.of("/chat", "/chat/*");

    private final List<String> patterns;
    private final boolean containerCompression;
    private final boolean batching;
    private final AtomicReference<ServletContext> mounted = new AtomicReference<>();
    private final AtomicReference<MountedServer> attached = new AtomicReference<>();

    private JakartaTransport(List<String> patterns, boolean containerCompression, boolean batching) {
        this.patterns = patterns;
        this.containerCompression = containerCompression;
        this.batching = batching;
    }

    /**
     * This transport, unmounted, letting the container negotiate its own {@code permessage-deflate}
     * with clients that offer it, whenever {@link TransportOptions#compression()} is not off. The
     * container compresses per member (every line for each member: its CPU grows with the room) and,
     * as the kit's compression cases found, Tomcat 11 and Jetty 12 each answer some offers RFC 7692
     * says to decline (OPERATIONS.md). Without it, the extension is always declined.
     *
     * @return a new, unmounted transport at the same patterns
     * @throws IllegalStateException if this one is mounted already
     */
    public JakartaTransport withContainerCompression() {
        if (mounted.get() != null) {
            throw new IllegalStateException("mounted already: choose compression before mounting");
        }
        return new JakartaTransport(patterns, true, batching);
    }

    /**
     * This transport, unmounted, letting the container batch each member's messages
     * ({@code RemoteEndpoint.setBatchingAllowed}) until the member's queue is empty, then flushing them
     * ({@code flushBatch}, on a thread of the transport's that may block, never a container thread):
     * lines that arrive together for a member leave in fewer writes — in the busy room a third to a half
     * of the CPU per delivery and a tenth of the TCP segments on Tomcat (docs/PERFORMANCE.md). Not the
     * default: on Tomcat 11 a protocol error that arrives right behind a large message being flushed
     * loses its close frame (the client sees 1006, not 1002; the kit's case), which Jetty 12 gets right.
     *
     * @return a new, unmounted transport at the same patterns
     * @throws IllegalStateException if this one is mounted already
     */
    public JakartaTransport withBatching() {
        if (mounted.get() != null) {
            throw new IllegalStateException("mounted already: choose batching before mounting");
        }
        return new JakartaTransport(patterns, containerCompression, true);
    }

    /**
     * A transport to be mounted at {@link #DEFAULT_PATTERNS}: {@code /chat} and the rooms below it.
     *
     * @return a new, unmounted transport
     */
    public static JakartaTransport create() {
        return new JakartaTransport(DEFAULT_PATTERNS, false, false);
    }

    /**
     * A transport to be mounted at the given servlet URL patterns. The {@link io.github.wschat.Handshake}
     * path is the request's path within the web application (the context path removed), so that
     * {@code ChatServer}'s room paths keep their meaning: mount it at {@code /chat} and {@code /chat/*}.
     *
     * @param urlPatterns servlet URL patterns, e.g. {@code /chat} and {@code /chat/*}
     * @return a new, unmounted transport
     * @throws IllegalArgumentException if no pattern is given
     */
    public static JakartaTransport at(String... urlPatterns) {
        List<String> patterns = List.of(urlPatterns);
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no URL pattern");
        }
        return new JakartaTransport(patterns, false, false);
    }

    /**
     * Mounts the transport into a web application that is starting: registers its servlet at the
     * patterns, and a listener that closes the attached server when the application stops. Call it
     * where the servlet API allows registering servlets: a {@code ServletContainerInitializer}, a
     * {@code ServletContextListener}'s {@code contextInitialized}, Spring Boot's
     * {@code ServletContextInitializer}. The container's WebSocket support must be initialized
     * (its {@link ServerContainer} in the context attribute {@code jakarta.websocket.server.ServerContainer})
     * by the time the first handshake arrives.
     *
     * @param context the starting web application
     * @throws IllegalStateException if the transport is mounted already, or the patterns are taken
     */
    public void mount(ServletContext context) {
        Objects.requireNonNull(context, "context");
        if (!mounted.compareAndSet(null, context)) {
            throw new IllegalStateException("mounted already, in " + mounted.get().getContextPath());
        }
        ServletRegistration.Dynamic servlet = context.addServlet("wschat-" + Integer.toHexString(
                System.identityHashCode(this)), new UpgradeServlet(attached::get));
        if (servlet == null) {
            throw new IllegalStateException("the web application has a servlet of this name already");
        }
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        var conflicts = servlet.addMapping(patterns.toArray(String[]::new));
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException("URL patterns mapped to another servlet already: " + conflicts);
        }
        context.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                MountedServer server = attached.get();
                if (server != null) {
                    server.close();
                }
            }
        });
    }

    /**
     * {@code jakarta}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return "jakarta";
    }

    /**
     * Attaches a handler to the mount: from now on, handshakes at its patterns go to it. Returns at
     * once; the container already listens.
     *
     * @param options the limits; the container's own settings stand for host, port, TLS, backlog and
     *     handshake timeout
     * @param handler receives the handshakes and connections, on container threads
     * @return the attached server; closing it closes its connections with 1001 and detaches it
     * @throws IllegalStateException if the transport is not mounted, or another server is attached
     */
    @Override
    public TransportServer start(TransportOptions options, ConnectionHandler handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        if (mounted.get() == null) {
            throw new IllegalStateException("mount the transport into a web application first: mount(ServletContext)");
        }
        MountedServer server = new MountedServer(options, handler,
                containerCompression && options.compression().enabled(), batching);
        MountedServer previous = attached.get();
        if (previous != null && previous.isRunning()) {
            throw new IllegalStateException("a chat server is attached already; close it first");
        }
        if (!attached.compareAndSet(previous, server)) {
            throw new IllegalStateException("a chat server is attached already; close it first");
        }
        server.startTimers();
        return server;
    }

    @Override
    public String toString() {
        return "JakartaTransport" + patterns;
    }
}
