package io.github.wschat.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench scale rooms}: many rooms on several demo nodes through Redis, with each room's members
 * spread over the nodes at random or routed to one node per room (as a balancer hashing the room's
 * path does), on one Redis and on a Redis Cluster of three masters, in the same run. Prints Redis'
 * egress and reads per line, Redis' CPU per line and the nodes' CPU per delivery, and ratios.
 */
@Command(name = "rooms", mixinStandardHelpOptions = true,
        description = "Starts demo nodes on one redis-server, then on a three-master Redis Cluster; runs many rooms with "
                + "their members spread over the nodes or routed to one node per room; prints Redis egress and reads per "
                + "line, Redis CPU per line, node CPU per delivery, and ratios.")
final class Rooms implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "6", description = "Demo nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--rooms", defaultValue = "60", description = "Rooms (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--members", defaultValue = "50", description = "Members per room (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--rate", defaultValue = "2", description = "Lines a second per room (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--redis", split = ",", defaultValue = "single,cluster",
            description = "Redis layouts: single, cluster (default: ${DEFAULT-VALUE}).")
    List<String> layouts;

    @Option(names = "--modes", split = ",", defaultValue = "spread,routed",
            description = "How members reach nodes: spread, routed (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Mixin
    RedisNodesOptions options;

    @Spec
    CommandSpec spec;

    /** What one run measured. */
    record Result(String layout, String mode, long lines, long deliveries, long expected, long redisEgress, long xreads,
            long redisCpuMicros, long nodeCpuMicros, double seconds) {

        double egressPerLine() {
            return redisEgress / (double) Math.max(1, lines);
        }

        double readsPerLine() {
            return xreads / (double) Math.max(1, lines);
        }

        double redisMicrosPerLine() {
            return redisCpuMicros / (double) Math.max(1, lines);
        }

        double nodeMicrosPerDelivery() {
            return nodeCpuMicros / (double) Math.max(1, deliveries);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isExecutable(options.redisServer) || !Files.isExecutable(options.redisCli)) {
            err.println("rooms: " + options.redisServer + " or " + options.redisCli
                    + " is missing: apt-get install redis-server redis-tools");
            return 2;
        }
        out.printf(Locale.ROOT, "## chat-bench scale rooms%n%n%d cores; %d nodes (%s); %d rooms × %d members, %.1f lines/s per "
                + "room (%.0f lines/s, %.0f deliveries/s offered)%n%n", Runtime.getRuntime().availableProcessors(), nodes,
                options.transport, rooms, members, rate, rooms * rate, rooms * rate * members);
        List<Result> results = new ArrayList<>();
        for (String layout : layouts) {
            try (RedisLayout redis = layout.equals("cluster") ? RedisLayout.cluster(options.redisServer, options.redisCli, 3, 0)
                    : RedisLayout.single(options.redisServer)) {
                List<ServerUnderTest> cluster = options.startNodes(nodes, redis);
                try {
                    for (String mode : modes) {
                        err.println("rooms: " + layout + " Redis, members " + mode);
                        results.add(run(layout, mode, cluster, redis));
                    }
                } finally {
                    RedisNodesOptions.stopNodes(cluster);
                }
            }
        }
        out.printf(Locale.ROOT, "| Redis | members | lines/s | deliveries/s | delivered | Redis egress B/line "
                + "| XREADs/line | Redis µs CPU/line | nodes' µs CPU/delivery |%n|---|---|---:|---:|---:|---:|---:|---:|---:|%n");
        for (Result r : results) {
            out.printf(Locale.ROOT, "| %s | %s | %.0f | %,.0f | %.4f | %,.0f | %.2f | %.1f | %.2f |%n", r.layout(), r.mode(),
                    r.lines() / r.seconds(), r.deliveries() / r.seconds(), r.deliveries() / (double) Math.max(1, r.expected()),
                    r.egressPerLine(), r.readsPerLine(), r.redisMicrosPerLine(), r.nodeMicrosPerDelivery());
        }
        for (String layout : layouts) {
            Result spread = find(results, layout, "spread");
            Result routed = find(results, layout, "routed");
            if (spread != null && routed != null) {
                out.printf(Locale.ROOT, "%n%s Redis, routed ÷ spread, same run: Redis egress per line %.2f×, XREADs per line "
                        + "%.2f×, Redis CPU per line %.2f×, nodes' CPU per delivery %.2f×%n", layout,
                        routed.egressPerLine() / spread.egressPerLine(), routed.readsPerLine() / spread.readsPerLine(),
                        routed.redisMicrosPerLine() / spread.redisMicrosPerLine(),
                        routed.nodeMicrosPerDelivery() / spread.nodeMicrosPerDelivery());
            }
        }
        for (String mode : modes) {
            Result single = find(results, "single", mode);
            Result cluster = find(results, "cluster", mode);
            if (single != null && cluster != null) {
                out.printf(Locale.ROOT, "%nmembers %s, cluster ÷ one Redis, same run: lines/s %.2f×, Redis CPU per line "
                        + "%.2f×, nodes' CPU per delivery %.2f×%n", mode, (double) cluster.lines() / single.lines(),
                        cluster.redisMicrosPerLine() / single.redisMicrosPerLine(),
                        cluster.nodeMicrosPerDelivery() / single.nodeMicrosPerDelivery());
            }
        }
        out.flush();
        return 0;
    }

    private static Result find(List<Result> results, String layout, String mode) {
        return results.stream().filter(r -> r.layout().equals(layout) && r.mode().equals(mode)).findFirst().orElse(null);
    }

    private Result run(String layout, String mode, List<ServerUnderTest> cluster, RedisLayout redis) throws Exception {
        AtomicLong deliveries = new AtomicLong();
        List<ClientEngine.Socket> senders = new ArrayList<>();
        String prefix = layout + mode;
        try (ClientEngine engine = ClientEngine.named("eager", options.clientThreads)) {
            for (int r = 0; r < rooms; r++) {
                Map<Integer, Integer> perNode = new HashMap<>();
                for (int m = 0; m < members; m++) {
                    // routed: the room's node, as a balancer hashing /chat/ROOM; spread: member by member, round the nodes
                    int node = mode.equals("routed") ? r % nodes : (r + m) % nodes;
                    perNode.merge(node, 1, Integer::sum);
                }
                boolean first = true;
                for (Map.Entry<Integer, Integer> group : perNode.entrySet()) {
                    URI room = cluster.get(group.getKey()).url().resolve("/chat/" + prefix + r);
                    List<ClientEngine.Socket> sockets = engine.open(room, group.getValue(), i -> line -> {
                        if (line.contains(": bench ")) {
                            deliveries.incrementAndGet();
                        }
                    });
                    if (first) {
                        senders.add(sockets.get(0));
                        first = false;
                    }
                }
            }
            ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
            AtomicLong lines = new AtomicLong();
            try {
                long period = Math.max(1, (long) (1_000_000 / (rate * rooms)));
                int[] next = {0};
                ticks.scheduleAtFixedRate(() -> {
                    senders.get(next[0]++ % senders.size()).send("bench " + lines.incrementAndGet());
                }, 0, period, TimeUnit.MICROSECONDS);
                TimeUnit.MILLISECONDS.sleep((long) (warmup * 1000));
                long lines0 = lines.get();
                long deliveries0 = deliveries.get();
                long[] redis0 = redis.figures();
                long nodes0 = nodeCpu(cluster);
                long start = System.nanoTime();
                TimeUnit.MILLISECONDS.sleep((long) (duration * 1000));
                long lines1 = lines.get();
                double seconds = (System.nanoTime() - start) / 1e9;
                long nodes1 = nodeCpu(cluster);
                long[] redis1 = redis.figures();
                ticks.shutdownNow();
                // the lines in flight at the end arrive within a moment
                TimeUnit.MILLISECONDS.sleep(500);
                long deliveries1 = deliveries.get();
                long sent = lines1 - lines0;
                return new Result(layout, mode, sent, deliveries1 - deliveries0, sent * members, redis1[0] - redis0[0],
                        redis1[1] - redis0[1], redis1[2] - redis0[2], nodes1 - nodes0, seconds);
            } finally {
                ticks.shutdownNow();
            }
        }
    }

    private static long nodeCpu(List<ServerUnderTest> cluster) {
        long total = 0;
        for (ServerUnderTest node : cluster) {
            total += ServerFigures.cpuMicros(node.pid());
        }
        return total;
    }
}
