package io.github.wschat.bench;

import io.github.wschat.server.ChatServer;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A soak run: a chat server on Java-WebSocket in this JVM and a crowd of clients that connect,
 * chat in several rooms and leave — half politely, half by vanishing (the socket aborted, no close
 * frame) — for a fixed time. It prints heap after GC, threads and file descriptors at the start,
 * every report interval and at the end, after every client has gone: a leak shows as figures that
 * grow with the churn.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Churns clients against an in-process chat server and prints heap, threads and "
                + "file descriptors over time.")
final class Soak implements Callable<Integer> {

    @Option(names = "--clients", defaultValue = "200", description = "Clients connected at any time (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rooms", defaultValue = "10", description = "Rooms the clients spread over (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--duration", defaultValue = "600", description = "Seconds of churn (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--report-every", defaultValue = "60", description = "Seconds between reports (default: ${DEFAULT-VALUE}).")
    long reportSeconds;

    @Option(names = "--lines-per-second", defaultValue = "200",
            description = "Lines sent a second, over all clients (default: ${DEFAULT-VALUE}).")
    int linesPerSecond;

    @Option(names = "--churn-per-second", defaultValue = "20",
            description = "Clients replaced a second; half vanish, half close (default: ${DEFAULT-VALUE}).")
    int churnPerSecond;

    @Option(names = "--transport", defaultValue = "java-websocket",
            description = "The transport under the chat: java-websocket or netty (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--client", defaultValue = "jdk",
            description = "The clients: jdk (the JDK's WebSocket) or eager (Netty, reading every frame as it arrives) "
                    + "(default: ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Random random = new Random(seed);
        LongAdder received = new LongAdder();
        long sent = 0;
        long connects = 0;
        long vanished = 0;
        try (ChatServer server = ChatServer.builder().transport(transport)
                .host("127.0.0.1").port(0)
                .maxConnectionsPerAddress(clients * 2).maxConnections(clients * 2).maxRooms(rooms * 2)
                .rateLimit(1_000_000, 1_000_000)
                .pingInterval(Duration.ofSeconds(5))
                .start()) {
            // A fixed pool: the JDK's default client executor grows with load, which would hide the
            // server's thread count in the figures.
            ClientEngine engine = ClientEngine.named(client, 2);
            String base = "ws://127.0.0.1:" + server.address().getPort() + "/chat/soak-";
            ProcessFigures idle = ProcessFigures.measure();
            List<SoakClient> crowd = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                crowd.add(SoakClient.connect(engine, URI.create(base + random.nextInt(rooms)), received));
                connects++;
            }
            out.printf("soak: %d clients in %d rooms, %d lines/s, %d clients replaced/s, %d s%n",
                    clients, rooms, linesPerSecond, churnPerSecond, durationSeconds);
            out.printf("%8s %10s %10s %12s %10s %8s %5s %8s %8s%n",
                    "time", "connects", "sent", "received", "heap", "threads", "fds", "members", "rooms");
            ProcessFigures start = report(out, "start", connects, sent, received, server);

            long begin = System.nanoTime();
            long end = begin + TimeUnit.SECONDS.toNanos(durationSeconds);
            long nextReport = begin + TimeUnit.SECONDS.toNanos(reportSeconds);
            long churned = 0;
            for (long now = begin; now < end; now = System.nanoTime()) {
                double elapsed = (now - begin) / 1e9;
                while (sent < elapsed * linesPerSecond) {
                    if (crowd.get(random.nextInt(clients)).trySend("soak line " + sent)) {
                        sent++;
                    }
                }
                while (churned < elapsed * churnPerSecond) {
                    int slot = random.nextInt(clients);
                    if (random.nextBoolean()) {
                        crowd.get(slot).vanish();
                        vanished++;
                    } else {
                        crowd.get(slot).leave();
                    }
                    crowd.set(slot, SoakClient.connect(engine, URI.create(base + random.nextInt(rooms)), received));
                    connects++;
                    churned++;
                }
                if (now >= nextReport) {
                    report(out, String.format("%ds", Math.round(elapsed)), connects, sent, received, server);
                    nextReport += TimeUnit.SECONDS.toNanos(reportSeconds);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pacing the load
            }
            for (SoakClient client : crowd) {
                client.leave();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.memberCount() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            ProcessFigures last = report(out, "end", connects, sent, received, server);
            out.printf("after %d connects (%d vanished) and %d lines: heap %s -> %s (%.2fx), threads %d -> %d, "
                            + "fds %d -> %d, members left %d, rooms left %d; with no client: heap %s%n",
                    connects, vanished, sent, start.heapMiB(), last.heapMiB(),
                    (double) last.heapBytes() / start.heapBytes(), start.threads(), last.threads(),
                    start.fileDescriptors(), last.fileDescriptors(), server.memberCount(), server.roomCount(),
                    idle.heapMiB());
            out.flush();
            engine.close();
            return server.memberCount() == 0 && server.roomCount() == 0 ? 0 : 1;
        }
    }

    private static ProcessFigures report(PrintWriter out, String label, long connects, long sent, LongAdder received,
            ChatServer server) {
        ProcessFigures figures = ProcessFigures.measure();
        out.printf("%8s %10d %10d %12d %10s %8d %5d %8d %8d%n", label, connects, sent, received.sum(),
                figures.heapMiB(), figures.threads(), figures.fileDescriptors(), server.memberCount(),
                server.roomCount());
        out.flush();
        return figures;
    }
}
