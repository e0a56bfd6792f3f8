package io.github.wschat.transport.javawebsocket;

import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.LiveConnections;
import io.github.wschat.spi.TextFrames;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java-WebSocket's server, forwarding its callbacks to wschat connections. The attachment of each
 * Java-WebSocket connection is its {@link Admitted} handshake until it opens, then its
 * {@link JavaWebSocketConnection}.
 */
final class JavaWebSocketServer extends WebSocketServer implements TransportServer {

    private static final Logger log = LoggerFactory.getLogger(JavaWebSocketServer.class);
    private static final long BIND_TIMEOUT_SECONDS = 30;

    private final TransportOptions options;
    private final ConnectionHandler handler;
    private final CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    private final LiveConnections<JavaWebSocketConnection> live = new LiveConnections<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TextFrames<ByteBuffer> textFrames;
    private volatile StalledWrites stalledWrites; // from the start on

    private record Admitted(Handshake handshake, String subprotocol) {
    }

    JavaWebSocketServer(TransportOptions options, ConnectionHandler handler) {
        // The draft refuses a frame whose header announces more than the limit, before buffering it,
        // and (ours) a frame the client did not mask.
        super(new InetSocketAddress(options.host(), options.port()),
                List.of(new MaskedFramesOnly(options.maxMessageBytes(), options.compression())));
        this.options = options;
        // Read-only views: every member's queue holds the same bytes of a shared frame.
        this.textFrames = new TextFrames<>(options.compression(), ByteBuffer::allocate, ByteBuffer::asReadOnlyBuffer);
        this.handler = handler;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setMaxPendingConnections(options.acceptBacklog());
        long pingMillis = options.pingInterval().toMillis();
        setConnectionLostTimeout((int) Math.min(Integer.MAX_VALUE, (pingMillis + 999) / 1000));
        WebSocketServerFactory sockets = options.tls()
                .<WebSocketServerFactory>map(DefaultSSLWebSocketServerFactory::new)
                .orElseGet(() -> new GatheringWrites(new DefaultWebSocketServerFactory()));
        setWebSocketFactory(new HandshakeDeadlines(sockets, options.handshakeTimeout(), "wschat-jws"));
    }

    void startAndAwaitBinding() throws IOException {
        start();
        try {
            bound.get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io
                    : new IOException("Could not start on " + options.host() + ":" + options.port(), cause);
        } catch (TimeoutException e) {
            close();
            throw new IOException("Not bound within " + BIND_TIMEOUT_SECONDS + " s: " + options.host() + ":" + options.port());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("Interrupted while binding " + options.host() + ":" + options.port(), e);
        }
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(getAddress().getAddress(), getPort());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Close every connection ourselves while the selector runs as usual, and wait for the closing
        // handshakes: Java-WebSocket's stop() ends its selector after ~25 ms without traffic, which on
        // a busy machine can be before the close frames are written.
        live.shutDown(options.closeGracePeriod());
        try {
            stop((int) Math.max(1, options.closeGracePeriod().toMillis()), LiveConnections.SHUTTING_DOWN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        textFrames.close();
        if (stalledWrites != null) {
            stalledWrites.close();
        }
    }

    @Override
    public void onStart() {
        stalledWrites = new StalledWrites(this, live, "wschat-jws");
        bound.complete(address());
        log.info("Java-WebSocket transport listening on {}", address());
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket socket, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(socket, draft, request);
        Handshake handshake = handshakeOf(request, socket.getRemoteSocketAddress());
        Admission admission;
        try {
            admission = handler.admit(handshake);
        } catch (RuntimeException e) {
            log.warn("Admitting {} failed", handshake, e);
            admission = Admission.refuse(500, "internal error");
        }
        if (!admission.accepted()) {
            log.debug("Refused {}: {} {}", handshake, admission.status(), admission.reason());
            answer(socket, admission);
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, admission.reason());
        }
        if (!admission.subprotocol().isEmpty()) {
            response.put("Sec-WebSocket-Protocol", admission.subprotocol());
        }
        socket.setAttachment(new Admitted(handshake, admission.subprotocol()));
        return response;
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake request) {
        Object attachment = socket.getAttachment();
        Admitted admitted = attachment instanceof Admitted a ? a
                : new Admitted(handshakeOf(request, socket.getRemoteSocketAddress()), "");
        JavaWebSocketConnection connection = new JavaWebSocketConnection("jws-" + ids.incrementAndGet(),
                admitted.handshake(), admitted.subprotocol(), (WebSocketImpl) socket, this, options.maxQueuedBytes(), textFrames);
        if (!live.add(connection)) {
            // The handshake completed while the server was stopping: the connection is never handed out.
            socket.close(CloseCodes.GOING_AWAY, LiveConnections.SHUTTING_DOWN);
            return;
        }
        // Attached only once handed over: a close reported before then must not reach a connection
        // whose handlers are not registered yet (it would close unseen, a ghost member).
        connection.opened(handler);
        socket.setAttachment(connection);
        if (closedWhileOpening((WebSocketImpl) socket)) {
            live.remove(connection);
            connection.closed(CloseCodes.ABNORMAL, "connection lost");
        }
    }

    /**
     * Whether the library closed the socket while it was being opened. Its selector thread can see the
     * peer hang up (FIN, RST) while a worker thread opens the socket: the close event then went to the
     * handshake's attachment, or nowhere at all, because the library looks the socket up among its
     * connections before it has added it; and where the close came between the handshake's decoding and
     * the socket being marked open, the socket is marked open again over its closed channel. Either way
     * nothing would ever report it closed (see docs/upstream-java-websocket.md). Taking the socket's
     * monitor waits for a close in progress, which holds it until the channel is closed.
     */
    private boolean closedWhileOpening(WebSocketImpl socket) {
        boolean gone;
        synchronized (socket) {
            gone = socket.isClosed() || socket.getChannel() == null || !socket.getChannel().isOpen();
        }
        if (gone) {
            removeConnection(socket); // or it stays among the library's connections for good
        }
        return gone;
    }

    @Override
    public void onMessage(WebSocket socket, String message) {
        JavaWebSocketConnection connection = connectionOf(socket);
        if (connection != null) {
            connection.received(message);
        }
    }

    @Override
    public void onMessage(WebSocket socket, ByteBuffer message) {
        JavaWebSocketConnection connection = connectionOf(socket);
        if (connection != null) {
            connection.receivedBinary(message);
        }
    }

    @Override
    public void onCloseInitiated(WebSocket socket, int code, String reason) {
        JavaWebSocketConnection connection = connectionOf(socket);
        if (connection != null) {
            connection.closeInitiated(code, reason);
        }
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        JavaWebSocketConnection connection = connectionOf(socket);
        if (connection != null) {
            live.remove(connection);
            connection.closed(code, reason);
        }
    }

    @Override
    public void onError(WebSocket socket, Exception error) {
        if (socket == null) {
            if (!bound.completeExceptionally(error)) {
                log.error("Java-WebSocket server on {} failed", address(), error);
            }
            return;
        }
        JavaWebSocketConnection connection = connectionOf(socket);
        if (connection != null) {
            connection.failed(error);
        } else {
            log.debug("Error before the handshake completed on {}", socket.getRemoteSocketAddress(), error);
        }
    }

    /**
     * Java-WebSocket answers every refused handshake with its own 404. To give the client the status
     * the handler chose, write that response first, straight to the socket's channel (through TLS
     * where there is TLS; nothing else is queued on it yet); the library's 404 that follows comes
     * after a complete response and is ignored.
     */
    private static void answer(WebSocket socket, Admission refusal) {
        if (refusal.status() == 404 || !(socket instanceof WebSocketImpl impl) || impl.getChannel() == null) {
            return;
        }
        try {
            HttpAnswer.write(impl.getChannel(), refusal.status(), refusal.reason(), "");
        } catch (IOException e) {
            log.debug("Could not answer the refused handshake of {}", socket.getRemoteSocketAddress(), e);
        }
    }

    private static JavaWebSocketConnection connectionOf(WebSocket socket) {
        return socket.getAttachment() instanceof JavaWebSocketConnection c ? c : null;
    }

    private static Handshake handshakeOf(ClientHandshake request, InetSocketAddress remote) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Iterator<String> names = request.iterateHttpFields(); names.hasNext(); ) {
            String name = names.next();
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(request.getFieldValue(name));
        }
        InetSocketAddress remoteAddress = remote != null ? remote : new InetSocketAddress(0);
        return Handshake.of(request.getResourceDescriptor(), headers, remoteAddress);
    }
}
