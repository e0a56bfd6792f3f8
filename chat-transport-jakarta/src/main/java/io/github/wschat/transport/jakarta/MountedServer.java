package io.github.wschat.transport.jakarta;

import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.LiveConnections;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConnectionHandler} attached to a mount: admits handshakes, opens connections, pings them,
 * and closes them all when it stops. Its threads: one timer for the ping checks, and a few threads for
 * the Jakarta calls that may block (closing a session and sending a ping wait for the write in some
 * containers), so that neither a container thread nor a fan-out ever waits for a peer.
 */
final class MountedServer implements TransportServer {

    private static final Logger log = LoggerFactory.getLogger(MountedServer.class);
    private static final int BLOCKING_CALL_THREADS = 4;
    /**
     * Threads for batched messages' flushes: a flush to a peer that does not read blocks (Tomcat: at
     * most the close grace period), so each holds a thread of its own, up to this many stalled peers
     * at once, before other members' flushes wait; idle threads end after 30 s.
     */
    static final int FLUSH_THREADS = 256;

    private final TransportOptions options;
    private final ConnectionHandler handler;
    private final LiveConnections<JakartaConnection> live = new LiveConnections<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(named("wschat-jakarta-ping"));
    private final ExecutorService blocking = Executors.newFixedThreadPool(BLOCKING_CALL_THREADS, named("wschat-jakarta-io"));
    private final ExecutorService flushing = flushPool();
    private final boolean containerCompression;
    private final boolean batching;
    private volatile InetSocketAddress address = InetSocketAddress.createUnresolved("container", 0);

    MountedServer(TransportOptions options, ConnectionHandler handler, boolean containerCompression, boolean batching) {
        this.options = options;
        this.handler = handler;
        this.containerCompression = containerCompression;
        this.batching = batching;
    }

    private static ThreadFactory named(String name) {
        AtomicLong count = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    void startTimers() {
        long interval = options.pingInterval().toNanos();
        if (interval == 0) {
            return; // pings turned off
        }
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            live.forEach(connection -> connection.checkAlive(now, interval));
        }, interval, interval, TimeUnit.NANOSECONDS);
    }

    boolean isRunning() {
        return !closed.get();
    }

    /** Whether sessions let the container batch messages, flushed when a member's queue empties. */
    boolean batching() {
        return batching;
    }

    TransportOptions options() {
        return options;
    }

    /** Runs a Jakarta call that may block until the peer reads. */
    void runBlocking(Runnable call) {
        run(blocking, call);
    }

    /** Runs a flush of batched messages, which blocks while its peer does not read. */
    void runFlush(Runnable flush) {
        run(flushing, flush);
    }

    private static void run(ExecutorService threads, Runnable call) {
        try {
            threads.execute(call);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            call.run();
        }
    }

    private static ExecutorService flushPool() {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(FLUSH_THREADS,
                FLUSH_THREADS, 30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), named("wschat-jakarta-flush"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    void seen(InetSocketAddress local) {
        address = local;
    }

    Admission admit(Handshake handshake) {
        try {
            return handler.admit(handshake);
        } catch (RuntimeException e) {
            log.warn("Admitting {} failed", handshake, e);
            return Admission.refuse(500, "internal error");
        }
    }

    /**
     * The endpoint configuration of one admitted handshake: its configurator agrees the subprotocol the
     * server chose, no extension, and makes the one endpoint that opens this handshake's connection.
     * No extension unless the transport was made {@link JakartaTransport#withContainerCompression()}:
     * the Jakarta API gives only the container's own {@code permessage-deflate}, per member (its CPU
     * grows with the room, on the path that is already the slowest), and the kit's compression cases
     * found Tomcat 11 and Jetty 12 each breaking RFC 7692 where a client offers what it should decline
     * (Jetty refuses the whole handshake for an unknown parameter); see OPERATIONS.md.
     */
    ServerEndpointConfig endpointConfig(Handshake handshake, String subprotocol, String path) {
        ConnectionEndpoint endpoint = new ConnectionEndpoint(this, handshake, subprotocol);
        return ServerEndpointConfig.Builder.create(ConnectionEndpoint.class, path)
                .subprotocols(subprotocol.isEmpty() ? List.of() : List.of(subprotocol))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
                        return subprotocol;
                    }

                    @Override
                    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
                        return containerCompression ? containerExtensions(installed, requested) : List.of();
                    }

                    @Override
                    public boolean checkOrigin(String originHeaderValue) {
                        return true; // decided by admit()
                    }

                    @Override
                    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request,
                            HandshakeResponse response) {
                        // nothing to add
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(endpoint);
                    }
                })
                .build();
    }

    String nextId() {
        return "jakarta-" + ids.incrementAndGet();
    }

    /** A handshake completed: hand the connection out, unless the server is stopping. */
    void opened(JakartaConnection connection) {
        if (!live.add(connection)) {
            connection.close(CloseCodes.GOING_AWAY, LiveConnections.SHUTTING_DOWN);
            connection.ended(CloseCodes.GOING_AWAY, LiveConnections.SHUTTING_DOWN);
            return;
        }
        connection.open(handler);
    }

    void ended(JakartaConnection connection) {
        live.remove(connection);
    }

    /** The address the container was last reached at, or an unresolved address with port 0 before any handshake. */
    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        live.shutDown(options.closeGracePeriod());
        blocking.shutdown();
        flushing.shutdown();
        try {
            // So that no wschat thread outlives the web application (containers warn of those as leaks).
            flushing.awaitTermination(Math.max(1, options.closeGracePeriod().toMillis()), TimeUnit.MILLISECONDS);
            blocking.awaitTermination(Math.max(1, options.closeGracePeriod().toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client's first offer of each extension the container installed, as the container's default does. */
    private static List<Extension> containerExtensions(List<Extension> installed, List<Extension> requested) {
        List<Extension> agreed = new java.util.ArrayList<>();
        for (Extension offer : requested) {
            boolean known = installed.stream().anyMatch(e -> e.getName().equals(offer.getName()));
            boolean taken = agreed.stream().anyMatch(e -> e.getName().equals(offer.getName()));
            if (known && !taken) {
                agreed.add(offer);
            }
        }
        return agreed;
    }

    /**
     * The endpoint class the container instantiates through the configurator; one instance per
     * handshake. Public because Jetty wants a public endpoint class; unreachable outside the package.
     */
    public static final class ConnectionEndpoint extends Endpoint {

        private final MountedServer server;
        private final Handshake handshake;
        private final String subprotocol;
        private volatile JakartaConnection connection;

        ConnectionEndpoint(MountedServer server, Handshake handshake, String subprotocol) {
            this.server = server;
            this.handshake = handshake;
            this.subprotocol = subprotocol;
        }

        @Override
        public void onOpen(jakarta.websocket.Session session, jakarta.websocket.EndpointConfig config) {
            JakartaConnection opened = new JakartaConnection(server.nextId(), handshake, subprotocol, session, server);
            connection = opened;
            opened.listen();
            server.opened(opened);
        }

        @Override
        public void onClose(jakarta.websocket.Session session, jakarta.websocket.CloseReason reason) {
            JakartaConnection closing = connection;
            if (closing != null) {
                closing.closedByContainer(reason.getCloseCode().getCode(), reason.getReasonPhrase());
            }
        }

        @Override
        public void onError(jakarta.websocket.Session session, Throwable error) {
            JakartaConnection failing = connection;
            if (failing != null) {
                failing.failed(error);
            } else {
                log.debug("Error before the connection opened: {}", handshake, error);
            }
        }
    }
}
