package io.github.wschat.tck;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@link InMemoryTransport} server. Its connections' events run on two threads of its
 * own, one connection's events in order. Thread-safe.
 */
public final class InMemoryServer implements TransportServer {

    private static final Logger log = LoggerFactory.getLogger(InMemoryServer.class);

    private final TransportOptions options;
    private final ConnectionHandler handler;
    private final InetSocketAddress address;
    private final ExecutorService threads;
    private final Set<InMemoryConnection> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    InMemoryServer(TransportOptions options, ConnectionHandler handler, int port) {
        this.options = options;
        this.handler = handler;
        this.address = InetSocketAddress.createUnresolved("in-memory", port);
        this.threads = Executors.newFixedThreadPool(2,
                new ThreadFactoryBuilder().setNameFormat("wschat-in-memory-" + port + "-%d").setDaemon(true).build());
    }

    /**
     * Opens a connection to the given request target, as a client would.
     *
     * @param target the request target, e.g. {@code /chat?x=1}
     * @return the open client
     * @throws HandshakeRefusedException if the handler refused the handshake or the server is closed
     */
    public InMemoryClient connect(String target) throws HandshakeRefusedException {
        return connect(target, Map.of(), List.of());
    }

    /**
     * Opens a connection with request headers and offered subprotocols.
     *
     * @param target the request target
     * @param headers request headers
     * @param subprotocols the subprotocols to offer, in order of preference
     * @return the open client
     * @throws HandshakeRefusedException if the handler refused the handshake or the server is closed
     */
    public InMemoryClient connect(String target, Map<String, String> headers, List<String> subprotocols)
            throws HandshakeRefusedException {
        Objects.requireNonNull(target, "target");
        if (closed.get()) {
            throw new HandshakeRefusedException(503, "server closed");
        }
        Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
        headers.forEach((name, value) -> requestHeaders.put(name, List.of(value)));
        if (!subprotocols.isEmpty()) {
            requestHeaders.put("Sec-WebSocket-Protocol", List.of(String.join(", ", subprotocols)));
        }
        int id = ids.incrementAndGet();
        Handshake handshake = Handshake.of(target, requestHeaders,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 1024 + id % 60000));
        Admission admission = handler.admit(handshake);
        if (!admission.accepted()) {
            throw new HandshakeRefusedException(admission.status(), admission.reason());
        }
        InMemoryClient client = new InMemoryClient(admission.subprotocol(), options.maxMessageBytes());
        InMemoryConnection connection = new InMemoryConnection("mem-" + id, handshake, admission.subprotocol(),
                MoreExecutors.newSequentialExecutor(threads), client, live::remove);
        client.attach(connection);
        live.add(connection);
        connection.events().execute(() -> connection.opened(handler));
        return client;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (InMemoryConnection connection : live) {
            connection.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        threads.shutdown();
        try {
            if (!threads.awaitTermination(Math.max(1, options.closeGracePeriod().toMillis()), TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.shutdownNow();
        }
        for (InMemoryConnection connection : live) {
            connection.lost();
        }
        live.clear();
    }
}
