package io.github.wschat.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench compare}: starts the project's demo server and the hand-written baseline, in
 * this one run, runs the same scenarios against each, one server at a time, and prints the
 * results side by side with ratios, as Markdown; writes a chart of deliveries/s and p99 against the
 * number of clients.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Runs the fan-out and connect-storm scenarios against the project's demo server and a "
                + "hand-written Java-WebSocket chat, and prints a side-by-side Markdown table with ratios.")
final class Compare implements Callable<Integer> {

    @Option(names = "--clients", defaultValue = "250,1000", split = ",", description = "Room sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--rates", defaultValue = "10,40", split = ",",
            description = "Lines a second per sender (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--senders", defaultValue = "10", description = "Senders (default: ${DEFAULT-VALUE}).")
    int senders;

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

    @Option(names = "--heap", defaultValue = "1g", description = "Each server's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--chart", defaultValue = "target/compare.png", description = "The chart to write; 'none' for none (default: ${DEFAULT-VALUE}).")
    String chart;

    @Option(names = "--client-threads", defaultValue = "2", description = "Threads of the generator's clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "## chat-bench compare%n%n%s; %d cores; %s %s%n%n", System.getProperty("os.name") + " "
                + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        List<FanoutRun.Result> base = new ArrayList<>();
        List<FanoutRun.Result> ours = new ArrayList<>();
        out.println("### Fan-out: one room, " + senders + " senders; " + String.format(Locale.ROOT, "%.0f", warmup)
                + " s warm-up, " + String.format(Locale.ROOT, "%.0f", duration) + " s measured per run\n");
        Report.fanoutHeader(out);
        out.flush();
        boolean clean = true;
        for (double rate : rates) {
            for (int size : clients) {
                FanoutRun.Result b = fanout(ServerUnderTest.baseline(heap), size, rate, out);
                FanoutRun.Result w = fanout(ServerUnderTest.wschat(demoJar, heap), size, rate, out);
                base.add(b);
                ours.add(w);
                clean &= w.losses() == 0 && w.orderViolations() == 0;
            }
        }
        for (FanoutRun.Result result : ours) {
            Report.saturation(out, result);
        }
        for (FanoutRun.Result result : base) {
            Report.saturation(out, result);
        }
        out.println();
        out.println("### wschat ÷ baseline (same run)\n");
        out.println("| clients | offered deliveries/s | deliveries/s | p99 | server CPU/delivery |");
        out.println("|---:|---:|---:|---:|---:|");
        for (int i = 0; i < base.size(); i++) {
            FanoutRun.Result b = base.get(i);
            FanoutRun.Result w = ours.get(i);
            out.printf(Locale.ROOT, "| %d | %,.0f | %.2f× | %.2f× | %.2f× |%n", w.clients(), w.offeredPerSecond(),
                    w.deliveriesPerSecond() / b.deliveriesPerSecond(),
                    (double) w.latencyMicros().getValueAtPercentile(99) / Math.max(1, b.latencyMicros().getValueAtPercentile(99)),
                    w.serverMicrosPerDelivery() / b.serverMicrosPerDelivery());
        }
        out.flush();
        if (storm > 0) {
            out.println("\n### Connect storm\n");
            Report.stormHeader(out);
            StormRun.Result b = storm(ServerUnderTest.baseline(heap), out);
            StormRun.Result w = storm(ServerUnderTest.wschat(demoJar, heap), out);
            out.printf(Locale.ROOT, "%nwschat ÷ baseline: time to open %.2f×, heap per idle connection %.2f×%n",
                    w.seconds() / b.seconds(), w.heapBytesPerConnection() / b.heapBytesPerConnection());
        }
        if (!chart.equals("none")) {
            Path file = Path.of(chart);
            Charts.fanout(file, clients, rates, base, ours);
            out.println("\nchart: " + file.toAbsolutePath());
        }
        out.flush();
        return clean ? 0 : 1;
    }

    private FanoutRun.Result fanout(ServerUnderTest server, int size, double rate, PrintWriter out) throws Exception {
        try (server) {
            URI room = server.url().resolve("/chat");
            FanoutRun.Result result = new FanoutRun(new FanoutRun.Settings(room, size, Math.min(senders, size), rate, payload,
                    Fanout.seconds(warmup), Fanout.seconds(duration), server.pid(), clientThreads)).run();
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
