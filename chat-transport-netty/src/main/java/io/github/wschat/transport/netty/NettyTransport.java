package io.github.wschat.transport.netty;

import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The transport on <a href="https://netty.io">Netty</a> 4.2, registered for
 * {@link java.util.ServiceLoader} under the name {@value #NAME}. Stateless and thread-safe.
 *
 * <p>Threads: one acceptor thread and one event loop per core, on Linux's native epoll where it
 * loads and on Java NIO elsewhere, or on io_uring where asked for ({@link #using(Io)}, or the system
 * property {@value #IO_PROPERTY} for the transport {@link java.util.ServiceLoader} finds) and the
 * kernel allows it; which one runs, and why not the one asked for, is logged at start. Every handler
 * of a connection runs on the event loop that owns it; nothing there blocks.
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

    /**
     * The system property that chooses the I/O of a transport made with {@link #NettyTransport()}
     * (as {@link java.util.ServiceLoader} makes it): {@code auto}, {@code epoll}, {@code io_uring} or
     * {@code nio}, case-insensitive; read when a server starts.
     */
    public static final String IO_PROPERTY = "wschat.netty.io";

    /** Netty's I/O implementations, as asked for; each falls back to the next where it does not load. */
    public enum Io {
        /** The default: epoll where it loads, else NIO. */
        AUTO,
        /** Linux's epoll, else NIO. */
        EPOLL,
        /** Linux's io_uring (kernel 5.14 and later, where it is not disabled), else epoll, else NIO. */
        IO_URING,
        /** Java NIO, everywhere. */
        NIO;

        /**
         * The I/O a name names, as {@value NettyTransport#IO_PROPERTY} and the demo's {@code --netty-io}
         * take it: {@code auto}, {@code epoll}, {@code io_uring} ({@code io-uring}, {@code iouring}) or
         * {@code nio}, case-insensitive.
         *
         * @param name the name
         * @return the I/O
         * @throws IllegalArgumentException if no I/O has that name
         */
        public static Io parse(String name) {
            String normalized = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            if (normalized.equals("IOURING")) {
                normalized = "IO_URING";
            }
            try {
                return valueOf(normalized);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(IO_PROPERTY + " is auto, epoll, io_uring or nio: " + name, e);
            }
        }
    }

    /**
     * The system property that sets the flush linger of a transport made without one ({@link
     * #withFlushLinger}): microseconds, 0 for none; read when a server starts. Default {@value
     * #DEFAULT_FLUSH_LINGER_MICROS}.
     */
    public static final String FLUSH_LINGER_PROPERTY = "wschat.netty.flush-linger-micros";

    /** The flush linger where none is set, in microseconds (measured: docs/PERFORMANCE.md). */
    public static final long DEFAULT_FLUSH_LINGER_MICROS = 0;

    private final Io io;
    private final Duration flushLinger;

    /**
     * Creates the transport on the I/O that {@value #IO_PROPERTY} names (default auto), with the flush
     * linger {@value #FLUSH_LINGER_PROPERTY} sets; it holds no state.
     */
    public NettyTransport() {
        this(null, null);
    }

    private NettyTransport(Io io, Duration flushLinger) {
        this.io = io;
        this.flushLinger = flushLinger;
    }

    /**
     * A transport on the given I/O, whatever {@value #IO_PROPERTY} says.
     *
     * @param io the I/O to ask for
     * @return the transport
     */
    public static NettyTransport using(Io io) {
        return new NettyTransport(Objects.requireNonNull(io, "io"), null);
    }

    /**
     * This transport with a flush linger: an event loop whose last pass over its members' queues was
     * less than {@code linger} ago waits until then before the next, so that lines arriving together
     * leave in one write per member rather than one each — fewer system calls under load, each line at
     * most {@code linger} late; a loop that was idle writes at once. Zero turns it off (every line is
     * written at the loop's next turn). Whatever {@value #FLUSH_LINGER_PROPERTY} says.
     *
     * @param linger from zero to one second
     * @return a transport like this one with that linger
     * @throws IllegalArgumentException if {@code linger} is negative or over a second
     */
    public NettyTransport withFlushLinger(Duration linger) {
        Objects.requireNonNull(linger, "linger");
        if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("the flush linger is from 0 to 1 s: " + linger);
        }
        return new NettyTransport(io, linger);
    }


    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportServer start(TransportOptions options, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        Io asked = io != null ? io : Io.parse(System.getProperty(IO_PROPERTY, "auto"));
        Duration linger = flushLinger != null ? flushLinger : Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(
                Long.getLong(FLUSH_LINGER_PROPERTY, DEFAULT_FLUSH_LINGER_MICROS)));
        return NettyServer.start(options, handler, asked, linger);
    }
}
