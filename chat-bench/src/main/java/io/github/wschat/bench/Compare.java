package io.github.wschat.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench compare}: in this one run, starts the hand-written baseline and the project's
 * demo server on each transport, one server at a time, runs the same scenarios against each, and
 * prints the results side by side with ratios, as Markdown; writes a chart of CPU per delivery and
 * p99 per scenario and server.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Runs fan-out scenarios and the connect storm against a hand-written Java-WebSocket chat and "
                + "the project's demo server on each transport, and prints side-by-side Markdown tables with ratios.")
final class Compare implements Callable<Integer> {

    /** One fan-out scenario: clients in one room, of which {@code senders} send {@code rate} lines a second. */
    record Scenario(int clients, int senders, double rate) {

        static Scenario parse(String text) {
            String[] parts = text.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("a scenario is CLIENTS:SENDERS:RATE, e.g. 1000:2:50; got " + text);
            }
            return new Scenario(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Double.parseDouble(parts[2]));
        }

        String label() {
            return String.format(Locale.ROOT, "%d clients, %d × %s/s", clients, senders,
                    rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate));
        }
    }

    @Option(names = "--scenarios", defaultValue = "1000:2:50,50:50:40,1000:10:10", split = ",",
            converter = ScenarioConverter.class, paramLabel = "CLIENTS:SENDERS:RATE",
            description = "Fan-out scenarios (default: ${DEFAULT-VALUE}: a wide room with lines 10 ms apart, a busy "
                    + "small room, 100,000 deliveries/s).")
    List<Scenario> scenarios;

    @Option(names = "--transports", defaultValue = "java-websocket,netty,jakarta-tomcat", split = ",",
            description = "The transports to measure: the demo's java-websocket and netty (netty-io_uring, netty-epoll, netty-nio: on that I/O), jakarta-tomcat, the Spring "
                    + "Boot example (jakarta-tomcat+batching: with wschat.batching), jakarta-jetty, the demo in an embedded Jetty (jakarta-jetty+batching), and boot-netty, the example with wschat.transport=netty (default: ${DEFAULT-VALUE}).")
    List<String> transports;

    @Option(names = "--lingers", split = ",", paramLabel = "MICROS",
            description = "Also the demo on Netty with each of these flush lingers, in microseconds (netty@MICROS; "
                    + "0 is none), e.g. 0,250,500,1000,2000: the linger table (default: none).")
    List<Long> lingers = List.of();

    @Option(names = "--netty-peer", description = "Also the hand-written Netty chat ("
            + ServerUnderTest.NETTY_BASELINE + "): each scenario's verdict is then against the cheaper of the two "
            + "hand-written peers.")
    boolean nettyPeer;

    @Option(names = "--payload", defaultValue = "64", description = "Bytes per line (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--storm", defaultValue = "10000", description = "Connections in the connect storm; 0 skips it (default: ${DEFAULT-VALUE}).")
    int storm;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar", description = "The project's server (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--example-jar", defaultValue = "chat-examples/spring-boot/target/chat-example-spring-boot.jar",
            description = "For jakarta-tomcat and boot-netty: the Spring Boot example's jar (default: ${DEFAULT-VALUE}).")
    Path exampleJar;

    @Option(names = "--heap", defaultValue = "1g", description = "Each server's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--chart", defaultValue = "target/compare.png", description = "The chart to write; 'none' for none (default: ${DEFAULT-VALUE}).")
    String chart;

    @Option(names = "--client", defaultValue = "eager,jdk", split = ",",
            description = "The generator's client engines, each a run of every scenario: eager (Netty, every frame "
                    + "read as it arrives, as browsers do) and jdk (the JDK's WebSocket, which reads more slowly) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> engines;

    @Option(names = "--client-threads", defaultValue = "2", description = "Threads of the generator's clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Spec
    CommandSpec spec;

    /** picocli's converter for {@link Scenario}. */
    static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.parse(value);
        }
    }

    private List<String> servers() {
        List<String> servers = new ArrayList<>(peers());
        transports.forEach(t -> servers.add("wschat/" + t));
        lingers.forEach(micros -> servers.add("wschat/netty@" + micros));
        return servers;
    }

    /** The hand-written chats: the Java-WebSocket loop ("baseline"), and the Netty chat if asked for. */
    private List<String> peers() {
        return nettyPeer ? List.of("baseline", ServerUnderTest.NETTY_BASELINE) : List.of("baseline");
    }

    /** The project's servers among these: all but the peers, in their order. */
    private List<String> ours(List<String> servers) {
        return servers.subList(peers().size(), servers.size());
    }

    private ServerUnderTest start(String server) throws Exception {
        if (server.equals(ServerUnderTest.NETTY_BASELINE)) {
            return ServerUnderTest.nettyBaseline(heap);
        }
        return server.equals("baseline") ? ServerUnderTest.baseline(heap)
                : ServerUnderTest.wschat(demoJar, exampleJar, heap, server.substring("wschat/".length()));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "## chat-bench compare%n%n%s; %d cores; %s %s%n%n", System.getProperty("os.name") + " "
                + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        List<String> servers = servers();
        int runs = engines.size() * scenarios.size() * servers.size() + (storm > 0 ? servers.size() : 0);
        int run = 0;
        Map<String, Map<String, List<FanoutRun.Result>>> byEngine = new LinkedHashMap<>();
        boolean clean = true;
        for (String engine : engines) {
            Map<String, List<FanoutRun.Result>> results = new LinkedHashMap<>();
            servers.forEach(s -> results.put(s, new ArrayList<>()));
            byEngine.put(engine, results);
            out.println("### Fan-out, " + engine + " clients: one room; " + String.format(Locale.ROOT, "%.0f", warmup)
                    + " s warm-up, " + String.format(Locale.ROOT, "%.0f", duration) + " s measured per run\n");
            Report.fanoutHeader(out);
            out.flush();
            for (Scenario scenario : scenarios) {
                for (String server : servers) {
                    String label = String.format(Locale.ROOT, "[compare %d/%d] %s clients · %s · %s", ++run, runs,
                            engine, scenario.label(), server);
                    spec.commandLine().getErr().println(label + ": starting");
                    FanoutRun.Result result = fanout(start(server), scenario, engine, out,
                            what -> spec.commandLine().getErr().println(label + ": " + what));
                    results.get(server).add(result);
                    clean &= peers().contains(server) || (result.losses() == 0 && result.orderViolations() == 0);
                }
            }
            results.forEach((server, list) -> list.forEach(r -> Report.saturation(out, server, r)));
            out.println();
            out.println("#### Ratios, " + engine + " clients (same run)\n");
            out.println("| scenario | server | ÷ | deliveries/s | p99 | server CPU/delivery |");
            out.println("|---|---|---|---:|---:|---:|");
            List<String> ours = ours(servers);
            for (int i = 0; i < scenarios.size(); i++) {
                for (String peer : peers()) {
                    for (String server : ours) {
                        ratioRow(out, scenarios.get(i), server, peer, results.get(server).get(i), results.get(peer).get(i));
                    }
                }
                for (int a = 1; a < ours.size(); a++) {
                    ratioRow(out, scenarios.get(i), ours.get(a), ours.get(0), results.get(ours.get(a)).get(i),
                            results.get(ours.get(0)).get(i));
                }
            }
            verdict(out, engine, servers, results);
            if (!lingers.isEmpty()) {
                lingerTable(out, engine, results);
            }
            out.flush();
        }
        if (storm > 0) {
            out.println("\n### Connect storm (raw NIO clients that complete the handshake and stay idle)\n");
            Report.stormHeader(out);
            Map<String, StormRun.Result> storms = new LinkedHashMap<>();
            for (String server : servers) {
                spec.commandLine().getErr().printf(Locale.ROOT, "[compare %d/%d] connect storm · %s: %,d clients%n",
                        ++run, runs, server, storm);
                storms.put(server, storm(start(server), out));
            }
            out.println();
            List<String> ours = ours(servers);
            for (String peer : peers()) {
                StormRun.Result b = storms.get(peer);
                for (String server : ours) {
                    StormRun.Result w = storms.get(server);
                    out.printf(Locale.ROOT, "%s ÷ %s: time to open %.2f×, heap per idle connection %.2f×%n", server, peer,
                            w.seconds() / b.seconds(), w.heapBytesPerConnection() / b.heapBytesPerConnection());
                }
            }
            for (String server : ours.subList(Math.min(1, ours.size()), ours.size())) {
                out.printf(Locale.ROOT, "%s ÷ %s: time to open %.2f×%n", server, ours.get(0),
                        storms.get(server).seconds() / storms.get(ours.get(0)).seconds());
            }
        }
        if (!chart.equals("none")) {
            Path file = Path.of(chart);
            Map<String, List<FanoutRun.Result>> series = new LinkedHashMap<>();
            byEngine.forEach((engine, results) -> results.forEach((server, list) -> series.put(engine + ": " + server, list)));
            Charts.compare(file, scenarios.stream().map(Scenario::label).toList(), series);
            out.println("\nchart: " + file.toAbsolutePath());
        }
        out.flush();
        return clean ? 0 : 1;
    }

    /**
     * Per scenario: does the best transport spend at most 0.8× the CPU per delivered line of the best
     * hand-written peer (the cheaper one, where there are two), deliver every line in one order, with a
     * p99 no worse than that peer's? With the kernel's share of its CPU, which is where the per-write
     * cost shows.
     */
    private void verdict(PrintWriter out, String engine, List<String> servers, Map<String, List<FanoutRun.Result>> results) {
        out.printf(Locale.ROOT, "%n#### Verdict, %s clients: the best transport against the best peer (CPU ≤ 0.8×, every "
                + "line in one order, p99 no worse)%n%n", engine);
        for (int i = 0; i < scenarios.size(); i++) {
            String peer = null;
            for (String candidate : peers()) {
                if (peer == null || results.get(candidate).get(i).serverMicrosPerDelivery()
                        < results.get(peer).get(i).serverMicrosPerDelivery()) {
                    peer = candidate;
                }
            }
            FanoutRun.Result base = results.get(peer).get(i);
            String best = null;
            for (String server : ours(servers)) {
                if (best == null || results.get(server).get(i).serverMicrosPerDelivery()
                        < results.get(best).get(i).serverMicrosPerDelivery()) {
                    best = server;
                }
            }
            FanoutRun.Result w = results.get(best).get(i);
            double cpu = w.serverMicrosPerDelivery() / base.serverMicrosPerDelivery();
            double p99 = (double) w.latencyMicros().getValueAtPercentile(99)
                    / Math.max(1, base.latencyMicros().getValueAtPercentile(99));
            boolean pass = cpu <= 0.8 && p99 <= 1.0 && w.losses() == 0 && w.orderViolations() == 0;
            out.printf(Locale.ROOT, "- %s: %s, CPU %.2f× (%.2f µs, %.0f %% kernel; %s %.2f µs, %.0f %% kernel), "
                    + "p99 %.2f×, %s — **%s**%n", scenarios.get(i).label(), best, cpu, w.serverMicrosPerDelivery(),
                    100 * w.serverKernelShare(), peer, base.serverMicrosPerDelivery(), 100 * base.serverKernelShare(), p99,
                    w.losses() == 0 && w.orderViolations() == 0 ? "every line, one order" : "LOST OR REORDERED LINES",
                    pass ? "pass" : "fail");
        }
        out.println();
    }

    /**
     * The flush lingers side by side, per scenario: TCP data segments (writes) per delivered line, user and kernel µs, p50
     * and p99, and each against the baseline; then the lingers that meet the bar (CPU ≤ 0.8× the
     * baseline's, p99 no worse, every line in one order) in every scenario.
     */
    private void lingerTable(PrintWriter out, String engine, Map<String, List<FanoutRun.Result>> results) {
        out.printf(Locale.ROOT, "#### Flush linger, %s clients (same run)%n%n", engine);
        out.println("| scenario | linger µs | TCP segments/delivery | user µs | kernel µs | p50 ms | p99 ms | CPU ÷ baseline "
                + "| p99 ÷ baseline | bar |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        List<Long> everywhere = new ArrayList<>(lingers);
        for (int i = 0; i < scenarios.size(); i++) {
            FanoutRun.Result base = results.get("baseline").get(i);
            out.printf(Locale.ROOT, "| %s | baseline | %.3f | %.2f | %.2f | %.2f | %.2f | | | |%n", scenarios.get(i).label(),
                    base.segmentsPerDelivery(), base.serverMicrosPerDelivery() * (1 - base.serverKernelShare()),
                    base.serverMicrosPerDelivery() * base.serverKernelShare(),
                    base.latencyMicros().getValueAtPercentile(50) / 1000.0, base.latencyMicros().getValueAtPercentile(99) / 1000.0);
            for (long micros : lingers) {
                FanoutRun.Result r = results.get("wschat/netty@" + micros).get(i);
                double cpu = r.serverMicrosPerDelivery() / base.serverMicrosPerDelivery();
                double p99 = (double) r.latencyMicros().getValueAtPercentile(99)
                        / Math.max(1, base.latencyMicros().getValueAtPercentile(99));
                boolean pass = cpu <= 0.8 && p99 <= 1.0 && r.losses() == 0 && r.orderViolations() == 0;
                if (!pass) {
                    everywhere.remove(micros);
                }
                out.printf(Locale.ROOT, "| %s | %d | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f× | %.2f× | %s |%n",
                        scenarios.get(i).label(), micros, r.segmentsPerDelivery(),
                        r.serverMicrosPerDelivery() * (1 - r.serverKernelShare()),
                        r.serverMicrosPerDelivery() * r.serverKernelShare(),
                        r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0,
                        cpu, p99, pass ? "pass" : "fail");
            }
        }
        out.printf(Locale.ROOT, "%nLingers that meet the bar in every scenario: %s (the transport's default: %d µs)%n%n",
                everywhere.isEmpty() ? "none" : everywhere.toString(),
                io.github.wschat.transport.netty.NettyTransport.DEFAULT_FLUSH_LINGER_MICROS);
    }

    private static void ratioRow(PrintWriter out, Scenario scenario, String server, String over, FanoutRun.Result w,
            FanoutRun.Result b) {
        out.printf(Locale.ROOT, "| %s | %s | %s | %.2f× | %.2f× | %.2f× |%n", scenario.label(), server, over,
                w.deliveriesPerSecond() / b.deliveriesPerSecond(),
                (double) w.latencyMicros().getValueAtPercentile(99) / Math.max(1, b.latencyMicros().getValueAtPercentile(99)),
                w.serverMicrosPerDelivery() / b.serverMicrosPerDelivery());
    }

    private FanoutRun.Result fanout(ServerUnderTest server, Scenario scenario, String engine, PrintWriter out,
            java.util.function.Consumer<String> progress) throws Exception {
        try (server) {
            FanoutRun.Result result = new FanoutRun(new FanoutRun.Settings(server.url().resolve("/chat"),
                    scenario.clients(), Math.min(scenario.senders(), scenario.clients()), scenario.rate(), payload,
                    Fanout.seconds(warmup), Fanout.seconds(duration), server.pid(), clientThreads, engine), progress).run();
            Report.fanoutRow(out, server.name(), result);
            out.flush();
            return result;
        }
    }

    private StormRun.Result storm(ServerUnderTest server, PrintWriter out) throws Exception {
        try (server) {
            StormRun.Result result = new StormRun(server.url().resolve("/chat"), storm, server.pid(), 1000).run();
            Report.stormRow(out, server.name(), result);
            out.flush();
            return result;
        }
    }
}
