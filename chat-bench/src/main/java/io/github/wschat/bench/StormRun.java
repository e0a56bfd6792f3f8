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

    /** What was measured. */
    record Result(int count, int opened, double seconds, double heapBytesPerConnection) {
    }

    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final URI url;
    private final int count;
    private final long serverPid;
    private final int inFlight;

    StormRun(URI url, int count, long serverPid, int inFlight) {
        this.url = url;
        this.count = count;
        this.serverPid = serverPid;
        this.inFlight = inFlight;
    }

    Result run() throws IOException {
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
            return new Result(count, open.size(), seconds, perConnection);
        } finally {
            for (SocketChannel channel : open) {
                channel.close();
            }
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
