package io.github.wschat.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that cuts the connections through it on command ({@link #cutAll}), or by
 * itself every so often ({@link #cutEvery}), at a random point: it stops carrying one direction
 * (chosen at random) first, so that bytes in flight that way are lost, then closes both sockets,
 * with a reset or a FIN. While {@link #refuse refusing}, it closes each new connection at once.
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService cutter;
    private final Random random;
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile long[] cutWindow;
    private volatile boolean refusing;
    private volatile boolean closed;

    /**
     * Starts a proxy on a free port of 127.0.0.1.
     *
     * @param target where the connections go
     * @param seed of the random cut times, directions and kinds
     * @throws IOException if no port can be bound
     */
    public CuttingProxy(InetSocketAddress target, long seed) throws IOException {
        this.target = target;
        this.random = new Random(seed);
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.cutter = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "proxy-cutter-" + listener.getLocalPort());
            thread.setDaemon(true);
            return thread;
        });
        Thread accepting = new Thread(this::accept, "proxy-accept-" + listener.getLocalPort());
        accepting.setDaemon(true);
        accepting.start();
    }

    /**
     * @param pathAndQuery e.g. {@code /chat/lobby?nick=ann}
     * @return the WebSocket URI of that path through this proxy
     */
    public URI through(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + pathAndQuery);
    }

    /**
     * @return for a failure's message: the connections open through the proxy, and the cuts so far
     */
    public String state() {
        return pairs.size() + " open, " + cuts.get() + " cut";
    }

    /**
     * @return how many connections were cut, or closed by an end, so far
     */
    public int cuts() {
        return cuts.get();
    }

    /**
     * @param refuse while true, new connections are closed as soon as they are accepted
     */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /**
     * Cuts each connection, from now on, a random time after it was made (or after now).
     *
     * @param minMillis the shortest life of a connection
     * @param maxMillis the longest
     */
    public void cutEvery(long minMillis, long maxMillis) {
        this.cutWindow = new long[] {minMillis, maxMillis};
        for (Pair pair : pairs) {
            pair.cutAt = nextCut();
        }
        cutter.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (Pair pair : pairs) {
                if (now >= pair.cutAt) {
                    cut(pair);
                }
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    /** Cuts no more connections by itself from now on; {@link #cutAll} still cuts. */
    public void stopCutting() {
        cutWindow = null;
        for (Pair pair : pairs) {
            pair.cutAt = Long.MAX_VALUE;
        }
    }

    /** When a connection made now is to be cut: never, until {@link #cutEvery}. */
    private long nextCut() {
        long[] window = cutWindow;
        if (window == null) {
            return Long.MAX_VALUE;
        }
        synchronized (random) {
            return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(window[0]
                    + (long) (random.nextDouble() * (window[1] - window[0])));
        }
    }

    /** Cuts every connection through the proxy now. */
    public void cutAll() {
        pairs.forEach(this::cut);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket(target.getAddress(), target.getPort());
                Pair pair = new Pair(client, server);
                pair.cutAt = nextCut();
                synchronized (random) {
                    pair.firstDirectionUp = random.nextBoolean();
                    pair.reset = random.nextBoolean();
                }
                pairs.add(pair);
                pump(pair, client, server, true);
                pump(pair, server, client, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Pair pair, Socket from, Socket to, boolean up) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (pair.stopped(up)) {
                        return; // cut that way first: these bytes are lost
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut, or closed by an end
            } finally {
                cut(pair);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void cut(Pair pair) {
        if (!pairs.remove(pair)) {
            return;
        }
        cuts.incrementAndGet();
        pair.stop(pair.firstDirectionUp);
        long lag;
        synchronized (random) {
            lag = random.nextInt(30);
        }
        if (closed || lag == 0) {
            close(pair);
        } else {
            cutter.schedule(() -> close(pair), lag, TimeUnit.MILLISECONDS);
        }
    }

    /** Closes both ends of a cut pair, with a reset or a FIN. */
    private void close(Pair pair) {
        pair.stop(!pair.firstDirectionUp);
        try {
            if (pair.reset) {
                pair.client.setSoLinger(true, 0);
                pair.server.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(pair.client);
        closeQuietly(pair.server);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        cutter.shutdownNow();
        listener.close();
        cutAll();
    }

    private static final class Pair {
        final Socket client;
        final Socket server;
        volatile long cutAt;
        volatile boolean firstDirectionUp;
        volatile boolean reset;
        private volatile boolean upStopped;
        private volatile boolean downStopped;

        Pair(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void stop(boolean up) {
            if (up) {
                upStopped = true;
            } else {
                downStopped = true;
            }
        }

        boolean stopped(boolean up) {
            return up ? upStopped : downStopped;
        }
    }
}
