package io.github.wschat.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench acks}: what ids and acknowledgements (issue #21) cost. One server, one room, every
 * client on {@code wschat.v1.json}; runs without ids and with an id on every line, in turn, on the
 * same server (after one unmeasured run of each, for the server's JIT), and prints the server's CPU per
 * delivery of each and their ratio.
 */
@Command(name = "acks", mixinStandardHelpOptions = true,
        description = "The busy room on the JSON protocol, without ids and with an id on every line, in turn on one "
                + "server; prints the server CPU per delivery of each and the ratio (ids over none).")
final class Acks implements Callable<Integer> {

    @Mixin
    ServerChoice server;

    @Option(names = "--clients", defaultValue = "50", description = "Clients in the room (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--senders", defaultValue = "50", description = "Clients that send (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--rate", defaultValue = "40", description = "Lines a second per sender (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--payload", defaultValue = "64", description = "Bytes per line (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", description = "Seconds before measuring, per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Pairs of runs (without ids, then with), alternating (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--client", defaultValue = "eager", description = "The generator's clients: eager or jdk (default: ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--client-threads", defaultValue = "2", description = "Threads of the generator's clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return server.run((room, pid, name) -> {
            PrintWriter out = spec.commandLine().getOut();
            FanoutRun.Settings base = new FanoutRun.Settings(room, clients, senders, rate, payload,
                    Fanout.seconds(warmup), Fanout.seconds(duration), pid, clientThreads, client);
            List<Double> ratios = new ArrayList<>();
            boolean clean = true;
            // The server's JIT warms on both paths first, unmeasured; then the pairs alternate their order.
            for (FanoutRun.Wire wire : List.of(FanoutRun.Wire.JSON_IDS, FanoutRun.Wire.JSON)) {
                new FanoutRun(base.withWire(wire), what -> spec.commandLine().getErr().println("acks: warming the server: " + what)).run();
            }
            Report.fanoutHeader(out);
            for (int round = 1; round <= rounds; round++) {
                double[] cost = new double[2];
                List<FanoutRun.Wire> order = round % 2 == 1 ? List.of(FanoutRun.Wire.JSON, FanoutRun.Wire.JSON_IDS)
                        : List.of(FanoutRun.Wire.JSON_IDS, FanoutRun.Wire.JSON);
                for (FanoutRun.Wire wire : order) {
                    String label = name + (wire == FanoutRun.Wire.JSON ? " json" : " json+ids");
                    FanoutRun.Result result = new FanoutRun(base.withWire(wire),
                            what -> spec.commandLine().getErr().println("acks: " + label + ": " + what)).run();
                    Report.fanoutRow(out, label, result);
                    cost[wire == FanoutRun.Wire.JSON ? 0 : 1] = result.serverMicrosPerDelivery();
                    clean &= result.losses() == 0 && result.orderViolations() == 0;
                }
                ratios.add(cost[1] / cost[0]);
                out.flush();
            }
            List<Double> sorted = ratios.stream().sorted().toList();
            out.printf(Locale.ROOT, "%nserver CPU per delivery, ids over none, per round: %s; median %.3f%n",
                    ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList(), sorted.get(sorted.size() / 2));
            out.flush();
            return clean ? 0 : 1;
        });
    }
}
