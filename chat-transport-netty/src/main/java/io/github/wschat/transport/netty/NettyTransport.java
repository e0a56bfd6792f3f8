package io.github.wschat.transport.netty;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.io.IOException;
import java.util.Objects;

/**
 * The transport on <a href="https://netty.io">Netty</a> 4.2, registered for
 * {@link java.util.ServiceLoader} under the name {@value #NAME}. Stateless and thread-safe.
 *
 * <p>Threads: one acceptor thread and one event loop per core, on Linux's native epoll where it
 * loads and on Java NIO elsewhere (which one is logged at start). Every handler of a connection runs
 * on the event loop that owns it; nothing there blocks.
 *
 * <p>What it does with the {@link TransportOptions}: binds {@code host:port} with
 * {@code SO_REUSEADDR} and the given accept backlog; speaks {@code wss://} when the options carry an
 * SSLContext; drops a socket that has not completed its opening handshake (TLS included) within the
 * handshake timeout, without a response; pings a peer that has sent nothing for three quarters of
 * the ping interval and closes (1006) one that has sent nothing, not even a pong, for one and a half
 * intervals; refuses a frame whose header announces more than the message limit, and a fragmented
 * message that grows past it, with 1009 before buffering it; enforces RFC 6455 strictly (unmasked
 * client frames, reserved bits and opcodes, bad control frames and continuations, forbidden close
 * codes: 1002; invalid UTF-8: 1007); counts a connection's outbound bytes (queued here and in
 * Netty's outbound buffer) against its budget and drops it at once, queue discarded, reported with
 * 1008, when it is over. A refused handshake is answered with the {@link
 * io.github.wschat.spi.Admission}'s status and reason as a plain-text HTTP response.
 *
 * <p>Fan-out: a {@link io.github.wschat.spi.SharedText} becomes one frame in one direct buffer,
 * encoded once; each member's queue gets a duplicate of it, and each event loop drains the queues of
 * its own members in one task per pass — all of a member's frames written, then one flush.
 */
public final class NettyTransport implements Transport {

    /** The name of this transport. */
    public static final String NAME = "netty";

    private final boolean preferNative;

    /** Creates the transport; it holds no state. */
    public NettyTransport() {
        this(true);
    }

    /**
     * @param preferNative whether to use epoll where it loads; false always uses NIO (for tests)
     */
    NettyTransport(boolean preferNative) {
        this.preferNative = preferNative;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportServer start(TransportOptions options, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        return NettyServer.start(options, handler, preferNative);
    }
}
