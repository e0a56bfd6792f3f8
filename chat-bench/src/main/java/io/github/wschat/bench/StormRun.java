package io.github.wschat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The connect storm: opens {@code count} WebSocket connections at once from one selector thread
 * (a plain NIO client that completes the opening handshake and then stays idle, so the generator
 * holds thousands of sockets cheaply), times how long until all are open, and, given the server's
 * PID, measures the server's live heap per idle connection.
 */
final class StormRun {

    /**
     * What was measured; {@code departureSeconds} NaN unless asked for ({@link #withDeparture}), and
     * infinite when the leaves were not all heard within the limit (the server fell behind or died).
     */
    record Result(int count, int opened, double seconds, double heapBytesPerConnection, double departureSeconds) {
    }

    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final URI url;
    private final int count;
    private final long serverPid;
    private final int inFlight;
    private boolean departure;

    StormRun(URI url, int count, long serverPid, int inFlight) {
        this.url = url;
        this.count = count;
        this.serverPid = serverPid;
        this.inFlight = inFlight;
    }

    /**
     * Also measures the departure: a member that joined before the storm hears a leave for each
     * connection the storm opened, once all of them close at once; the time from their closing until
     * it heard the last (a mass disconnect: a proxy restarting, a network cut).
     *
     * @return this run
     */
    StormRun withDeparture() {
        this.departure = true;
        return this;
    }

    Result run() throws IOException {
        LeaveCounter probe = departure ? LeaveCounter.join(url) : null;
        try {
            return run(probe);
        } finally {
            if (probe != null) {
                probe.close();
            }
        }
    }

    private Result run(LeaveCounter probe) throws IOException {
        long heapBefore = serverPid > 0 ? ServerFigures.liveHeapBytes(serverPid) : -1;
        List<SocketChannel> open = new ArrayList<>(count);
        InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
        String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        java.util.Map<String, Integer> failures = new java.util.TreeMap<>();
        try (Selector selector = Selector.open()) {
            long start = System.nanoTime();
            int started = 0;
            int pending = 0;
            while ((started < count || pending > 0) && System.nanoTime() - start < LIMIT_NANOS) {
                while (started < count && pending < inFlight) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.connect(address);
                    channel.register(selector, SelectionKey.OP_CONNECT, new Handshake(path, url.getHost()));
                    started++;
                    pending++;
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Handshake handshake = (Handshake) key.attachment();
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (handshake.step(key, channel)) {
                            key.cancel();
                            open.add(channel);
                            pending--;
                        }
                    } catch (IOException e) {
                        failures.merge(String.valueOf(e.getMessage()), 1, Integer::sum);
                        key.cancel();
                        channel.close();
                        pending--;
                    }
                }
                selector.selectedKeys().clear();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!failures.isEmpty()) {
                System.err.println("storm: failed handshakes: " + failures);
            }
            long heapAfter = serverPid > 0 ? ServerFigures.liveHeapBytes(serverPid) : -1;
            double perConnection = heapBefore > 0 && heapAfter > 0 && !open.isEmpty()
                    ? (double) (heapAfter - heapBefore) / open.size() : Double.NaN;
            double departed = Double.NaN;
            if (probe != null) {
                long closing = System.nanoTime();
                closeAll(open);
                departed = probe.awaitLeaves(open.size(), closing + LIMIT_NANOS)
                        ? (System.nanoTime() - closing) / 1e9 : Double.POSITIVE_INFINITY;
            }
            return new Result(count, open.size(), seconds, perConnection, departed);
        } finally {
            closeAll(open);
        }
    }

    private static void closeAll(List<SocketChannel> open) {
        for (SocketChannel channel : open) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** A member of the room that counts the leaves it hears ({@code " .... NICK has left."}). */
    private static final class LeaveCounter implements java.net.http.WebSocket.Listener, AutoCloseable {
        private final StringBuilder partial = new StringBuilder();
        private final java.util.concurrent.atomic.AtomicInteger leaves = new java.util.concurrent.atomic.AtomicInteger();
        private java.net.http.WebSocket socket;

        static LeaveCounter join(URI url) throws IOException {
            LeaveCounter counter = new LeaveCounter();
            try {
                counter.socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(url, counter).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("the departure's probe could not join " + url + ": " + e, e);
            }
            return counter;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data,
                boolean last) {
            partial.append(data);
            if (last) {
                String line = partial.toString();
                partial.setLength(0);
                if (line.startsWith(" .... ") && line.endsWith(" has left.")) {
                    leaves.incrementAndGet();
                }
            }
            webSocket.request(1);
            return null;
        }

        /** Waits until {@code expected} leaves were heard; false if the deadline ({@link System#nanoTime}) came first. */
        boolean awaitLeaves(int expected, long deadline) {
            while (leaves.get() < expected) {
                if (System.nanoTime() > deadline) {
                    System.err.printf("storm: the departure's probe heard %,d leaves of %,d%n", leaves.get(), expected);
                    return false;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return true;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    /** One connection's opening handshake: connect, write the upgrade request, read a 101 response. */
    private static final class Handshake {
        private final ByteBuffer request;
        private final ByteBuffer response = ByteBuffer.allocate(1024);

        Handshake(String path, String host) {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            this.request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        /** Advances the handshake; true once the server answered 101. */
        boolean step(SelectionKey key, SocketChannel channel) throws IOException {
            if (key.isConnectable()) {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if (key.isValid() && key.isWritable()) {
                channel.write(request);
                if (!request.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isValid() && key.isReadable()) {
                if (channel.read(response) < 0) {
                    throw new IOException("closed during the handshake");
                }
                String head = new String(response.array(), 0, response.position(), StandardCharsets.US_ASCII);
                if (head.contains("\r\n\r\n")) {
                    if (!head.startsWith("HTTP/1.1 101")) {
                        throw new IOException("refused: " + head.lines().findFirst().orElse(""));
                    }
                    return true;
                }
            }
            return false;
        }
    }
}
