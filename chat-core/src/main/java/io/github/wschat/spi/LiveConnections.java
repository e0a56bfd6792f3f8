package io.github.wschat.spi;

import io.github.wschat.CloseCodes;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The open connections of one transport server, and its graceful close — the bookkeeping every
 * adapter needs, in the spirit of Jetty's {@code Graceful} and Netty's {@code ChannelGroup}.
 *
 * <p>Lifecycle: the adapter {@linkplain #add adds} a connection when its handshake completes, before
 * handing it over, and {@linkplain #remove removes} it when its library reports it closed. Its
 * {@link TransportServer#close()} calls {@link #shutDown} once: every connection is closed with
 * {@link CloseCodes#GOING_AWAY 1001}, after what was queued for it; the call waits up to the grace
 * period for their closing handshakes; a connection still open then gets its one close event
 * ({@link CloseCodes#ABNORMAL 1006}, "server stopped"), and the adapter ends its sockets. A
 * connection whose handshake completes while the server shuts down is refused by {@link #add}: the
 * adapter closes it with 1001 and never hands it out.
 *
 * <p>Thread-safe: adds and removes come from any thread, concurrently with {@code shutDown}.
 *
 * @param <C> the adapter's connection type
 */
public final class LiveConnections<C extends AbstractConnection> {

    /** The reason of the 1001 every connection gets when the server shuts down. */
    public static final String SHUTTING_DOWN = "server shutting down";

    private final Set<C> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final Object drained = new Object();

    /**
     * Tracks a connection whose handshake completed.
     *
     * @param connection the connection, not yet handed over
     * @return true if it is tracked; false if the server is shutting down: close it with 1001 and do
     *     not hand it over
     */
    public boolean add(C connection) {
        Objects.requireNonNull(connection, "connection");
        live.add(connection);
        if (shuttingDown.get()) {
            // shutDown() may have swept the connections before this one was added.
            live.remove(connection);
            return false;
        }
        return true;
    }

    /**
     * Stops tracking a connection its library reported closed. Idempotent.
     *
     * @param connection the connection
     */
    public void remove(C connection) {
        if (live.remove(connection) && shuttingDown.get()) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Calls the action for each tracked connection: a weakly consistent walk, for pings and sampling.
     *
     * @param action what to do with each
     */
    public void forEach(Consumer<? super C> action) {
        live.forEach(action);
    }

    /**
     * How many connections are tracked.
     *
     * @return the count
     */
    public int size() {
        return live.size();
    }

    /**
     * Whether {@link #shutDown} has begun.
     *
     * @return true from the first call of {@code shutDown}
     */
    public boolean isShuttingDown() {
        return shuttingDown.get();
    }

    /**
     * Closes every connection with 1001 and waits for their closing handshakes, at most {@code grace};
     * the connections still open then get their close event (1006) and are no longer tracked. Only the
     * first call does anything. Blocks the calling thread: never call it on a transport thread.
     *
     * @param grace how long closing handshakes may take
     * @return true if every connection closed within the grace period
     */
    public boolean shutDown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (!shuttingDown.compareAndSet(false, true)) {
            return live.isEmpty();
        }
        for (C connection : live) {
            connection.close(CloseCodes.GOING_AWAY, SHUTTING_DOWN);
        }
        boolean drainedInTime = awaitDrained(Math.max(1, grace.toNanos()));
        for (Iterator<C> it = live.iterator(); it.hasNext(); ) {
            C connection = it.next();
            it.remove();
            connection.fireClose(CloseCodes.ABNORMAL, "server stopped");
        }
        return drainedInTime;
    }

    private boolean awaitDrained(long graceNanos) {
        long deadline = System.nanoTime() + graceNanos;
        synchronized (drained) {
            long left;
            while (!live.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return live.isEmpty();
        }
    }
}
