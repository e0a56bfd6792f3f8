package io.github.wschat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Many WebSocket clients on few threads: the JDK's client, every connection sharing one
 * {@link HttpClient}, its selector thread and a small executor, so the load generator does not
 * spend a thread per client.
 */
final class BenchClients implements AutoCloseable {

    private static final int IN_FLIGHT = 128;

    private final ExecutorService threads;
    private final HttpClient http;

    BenchClients(int threadCount) {
        this.threads = Executors.newFixedThreadPool(threadCount, task -> {
            Thread thread = new Thread(task, "bench-client");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().executor(threads).build();
    }

    /** Opens {@code count} connections, at most {@value #IN_FLIGHT} handshakes at a time. */
    <L extends WebSocket.Listener> List<WebSocket> open(URI uri, int count, Function<Integer, L> listeners)
            throws Exception {
        return open(uri, count, "", listeners);
    }

    /** As {@link #open(URI, int, Function)}, each offering {@code subprotocol} (none if empty). */
    <L extends WebSocket.Listener> List<WebSocket> open(URI uri, int count, String subprotocol,
            Function<Integer, L> listeners) throws Exception {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            WebSocket.Builder builder = http.newWebSocketBuilder();
            if (!subprotocol.isEmpty()) {
                builder.subprotocols(subprotocol);
            }
            opening.add(builder.buildAsync(uri, listeners.apply(i))
                    .whenComplete((ws, error) -> inFlight.release()));
        }
        List<WebSocket> sockets = new ArrayList<>(count);
        for (CompletableFuture<WebSocket> future : opening) {
            sockets.add(future.get(60, TimeUnit.SECONDS));
        }
        return sockets;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
