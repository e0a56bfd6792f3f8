package io.github.wschat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench scale}: one room across several demo nodes on one Redis, against the same
 * clients on one node, in the same run; then how many lines a second one room takes through Redis.
 */
@Command(name = "scale", mixinStandardHelpOptions = true, subcommands = {Rooms.class, Failover.class},
        description = "Starts a redis-server and demo nodes on it (--redis); runs the fan-out with the clients spread "
                + "over the nodes and, as the baseline, on a single node without Redis; then a room at a high line rate "
                + "through Redis. Prints latency, server CPU per delivery (all nodes), Redis CPU per line, and ratios. "
                + "'scale rooms': many rooms, members spread or routed by room, one Redis or a cluster.")
final class Scale implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "3", description = "Nodes on Redis (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--clients-per-node", defaultValue = "300", description = "Clients per node (default: ${DEFAULT-VALUE}).")
    int clientsPerNode;

    @Option(names = "--senders", defaultValue = "10", description = "Clients that send (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--rate", defaultValue = "20", description = "Lines a second per sender (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--throughput-senders", defaultValue = "10",
            description = "Senders of the line-rate run, each also a reader (default: ${DEFAULT-VALUE}).")
    int throughputSenders;

    @Option(names = "--throughput-rate", defaultValue = "500",
            description = "Lines a second per sender in the line-rate run (default: ${DEFAULT-VALUE}: 5,000 lines/s).")
    double throughputRate;

    @Option(names = "--payload", defaultValue = "64", description = "Bytes per line (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--transport", defaultValue = "netty", description = "The nodes' transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--client", defaultValue = "eager", description = "The generator's clients, eager or jdk (default: ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--client-threads", defaultValue = "2", description = "Threads of the generator's clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar", description = "The demo jar (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--heap", defaultValue = "1g", description = "Each node's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--redis-server", defaultValue = "/usr/bin/redis-server",
            description = "The redis-server program (apt-get install redis-server) (default: ${DEFAULT-VALUE}).")
    Path redisServer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isExecutable(redisServer)) {
            err.println("scale: " + redisServer + " is missing: apt-get install redis-server");
            return 2;
        }
        int clients = nodes * clientsPerNode;
        out.printf(Locale.ROOT, "## chat-bench scale%n%n%d cores; %d nodes on one Redis (%s) against one node; %s "
                + "clients; %s transport%n%n", Runtime.getRuntime().availableProcessors(), nodes, redisVersion(), client,
                transport);

        FanoutRun.Result single;
        try (ServerUnderTest one = ServerUnderTest.wschat(demoJar, demoJar, heap, transport)) {
            err.println("scale: one node, " + clients + " clients");
            single = run(List.of(one.url().resolve("/chat")), List.of(one.pid()), clients, senders, rate);
        }
        try (RedisProcess redis = RedisProcess.start(redisServer)) {
            List<ServerUnderTest> cluster = new ArrayList<>();
            try {
                for (int i = 0; i < nodes; i++) {
                    cluster.add(ServerUnderTest.node(demoJar, heap, transport, redis.uri(), "wschat/node-" + (i + 1)));
                }
                List<URI> urls = cluster.stream().map(n -> n.url().resolve("/chat")).toList();
                List<Long> pids = cluster.stream().map(ServerUnderTest::pid).toList();
                err.println("scale: " + nodes + " nodes, " + clients + " clients");
                long[] redisBefore = ServerFigures.cpuSplitMicros(redis.pid());
                FanoutRun.Result spread = run(urls, pids, clients, senders, rate);
                long[] redisAfter = ServerFigures.cpuSplitMicros(redis.pid());
                err.println("scale: " + nodes + " nodes, " + throughputSenders + " × " + throughputRate + " lines/s");
                long[] redisBeforeRate = ServerFigures.cpuSplitMicros(redis.pid());
                FanoutRun.Result rated = run(urls, pids, throughputSenders, throughputSenders, throughputRate);
                long[] redisAfterRate = ServerFigures.cpuSplitMicros(redis.pid());

                out.printf(Locale.ROOT, "| run | clients | senders × rate | lines/s offered | deliveries/s | delivered "
                        + "| order violations | p50 ms | p99 ms | server µs CPU/delivery (all nodes) | Redis µs CPU/line |%n");
                out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
                row(out, "one node, no Redis", single, Double.NaN);
                row(out, nodes + " nodes on Redis", spread, redisPerLine(redisBefore, redisAfter, spread));
                row(out, nodes + " nodes on Redis, line rate", rated, redisPerLine(redisBeforeRate, redisAfterRate, rated));
                double p99Single = single.latencyMicros().getValueAtPercentile(99);
                double p99Spread = spread.latencyMicros().getValueAtPercentile(99);
                out.printf(Locale.ROOT, "%n%d nodes ÷ one node, same clients, same run: p99 %.2f× (target ≤ 2×), server "
                        + "CPU per delivery %.2f×%n", nodes, p99Spread / Math.max(1, p99Single),
                        spread.serverMicrosPerDelivery() / single.serverMicrosPerDelivery());
                out.printf(Locale.ROOT, "one room through Redis took %.0f lines/s of %.0f offered (target ≥ 5,000), every "
                        + "line delivered: %s, order violations: %d%n", rated.linesSent() / duration,
                        throughputSenders * throughputRate, rated.losses() == 0 ? "yes" : "no (" + rated.losses() + " lost)",
                        rated.orderViolations());
                Report.saturation(out, "one node", single);
                Report.saturation(out, nodes + " nodes", spread);
                Report.saturation(out, "line rate", rated);
            } finally {
                for (ServerUnderTest node : cluster) {
                    node.close();
                }
            }
        }
        out.flush();
        return 0;
    }

    private FanoutRun.Result run(List<URI> urls, List<Long> pids, int clients, int senders, double rate) throws Exception {
        return new FanoutRun(new FanoutRun.Settings(urls, clients, senders, rate, payload, Fanout.seconds(warmup),
                Fanout.seconds(duration), pids, clientThreads, client),
                what -> spec.commandLine().getErr().println("scale: " + what)).run();
    }

    /** Redis' CPU over the whole run (warm-up included) per line sent in it, at the offered rate. */
    private double redisPerLine(long[] before, long[] after, FanoutRun.Result result) {
        double lines = result.linesSent() / duration * (duration + warmup);
        return before[0] < 0 || lines == 0 ? Double.NaN : (after[0] + after[1] - before[0] - before[1]) / lines;
    }

    private static void row(PrintWriter out, String run, FanoutRun.Result r, double redisMicros) {
        out.printf(Locale.ROOT, "| %s | %d | %d × %.0f | %.0f | %,.0f | %.4f | %d | %.2f | %.2f | %.2f | %s |%n", run,
                r.clients(), r.senders(), r.offeredPerSecond() / Math.max(1, r.clients()) / Math.max(1, r.senders()),
                r.offeredPerSecond() / Math.max(1, r.clients()), r.deliveriesPerSecond(), r.deliveryRatio(),
                r.orderViolations(), r.latencyMicros().getValueAtPercentile(50) / 1000.0,
                r.latencyMicros().getValueAtPercentile(99) / 1000.0, r.serverMicrosPerDelivery(),
                Double.isNaN(redisMicros) ? "—" : String.format(Locale.ROOT, "%.2f", redisMicros));
    }

    private String redisVersion() {
        try {
            Process p = new ProcessBuilder(redisServer.toString(), "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return v.replaceAll(".*v=(\\S+).*", "Redis $1");
        } catch (IOException | InterruptedException e) {
            return "Redis";
        }
    }

    /** A redis-server of the run's own, on a free port of 127.0.0.1, without persistence; stopped by PID. */
    static final class RedisProcess implements AutoCloseable {
        private final Process process;
        private final int port;

        private RedisProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static RedisProcess start(Path binary, String... extra) throws Exception {
            int port = freePort();
            // A directory of its own: a replica writes the RDB of its first sync there.
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                    Files.createTempDirectory("chat-bench-redis-").toString()));
            command.addAll(List.of(extra));
            return started(command, port, "redis-server");
        }

        /** A Sentinel ({@code redis-sentinel}) on this configuration file, on a free port. */
        static RedisProcess sentinel(Path binary, Path config) throws Exception {
            int port = freePort();
            return started(List.of(binary.toString(), config.toString(), "--port", Integer.toString(port), "--bind",
                    "127.0.0.1"), port, "redis-sentinel");
        }

        private static int freePort() throws IOException {
            int port;
            do {
                try (ServerSocket probe = new ServerSocket(0)) {
                    port = probe.getLocalPort();
                }
            } while (port > 55_000); // a cluster node's bus listens on its port + 10,000
            return port;
        }

        private static RedisProcess started(List<String> command, int port, String name) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    socket.setSoTimeout(1000);
                    OutputStream o = socket.getOutputStream();
                    o.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = socket.getInputStream();
                    if (new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                        return new RedisProcess(process, port);
                    }
                } catch (IOException notYet) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            }
            process.destroyForcibly();
            throw new IOException(name + " did not answer on port " + port);
        }

        /** Kills it (SIGKILL), as a crash would. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        String uri() {
            return "redis://127.0.0.1:" + port;
        }

        int port() {
            return port;
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
