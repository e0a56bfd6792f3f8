package io.github.wschat.bench;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * How the load generator's clients speak WebSocket. Two engines, because what a benchmark shows
 * depends on how its clients read: {@code jdk}, the JDK's {@code java.net.http.WebSocket}, which
 * reads more slowly than data arrives, so queues form on the server and its gathering writes have
 * many frames to batch; and {@code eager}, Netty clients that read every frame as soon as it
 * arrives, as browsers do, so that lines 10 ms apart leave nothing to batch.
 */
interface ClientEngine extends AutoCloseable {

    /** Receives one client's whole text messages, one at a time, in order. */
    interface Lines {
        void line(String text);
    }

    /** One client connection. */
    interface Socket {
        /** Sends a text message; the future completes once it is written. */
        Future<?> send(String text);

        /** Drops the connection without a closing handshake. */
        void abort();

        /** Starts the closing handshake (1000), then drops the connection. */
        void close();
    }

    /** The engine's name, {@code jdk}, {@code eager} or {@code eager-deflate}. */
    String name();

    /** Bytes read from the sockets of every connection so far, or -1 if the engine does not count them. */
    default long wireBytesRead() {
        return -1;
    }

    /** Opens {@code count} connections to {@code uri}, a bounded number of handshakes at a time. */
    default List<Socket> open(URI uri, int count, IntFunction<Lines> lines) throws Exception {
        return open(uri, count, "", lines);
    }

    /**
     * As {@link #open(URI, int, IntFunction)}, each connection offering {@code subprotocol} (none if
     * empty), e.g. {@code wschat.v1.json}.
     */
    List<Socket> open(URI uri, int count, String subprotocol, IntFunction<Lines> lines) throws Exception;

    @Override
    void close();

    /** The engine of this name, on {@code threads} threads. */
    static ClientEngine named(String name, int threads) {
        switch (name) {
            case "jdk":
                return new JdkClientEngine(threads);
            case "eager":
                return new EagerClientEngine(threads);
            case "eager-deflate":
                return new EagerClientEngine(threads, true);
            default:
                throw new IllegalArgumentException("no client engine '" + name + "': jdk, eager or eager-deflate");
        }
    }
}
