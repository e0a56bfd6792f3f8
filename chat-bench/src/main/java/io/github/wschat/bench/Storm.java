package io.github.wschat.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chat-bench storm}: the connect storm, against a running server or the demo on a transport. */
@Command(name = "storm", mixinStandardHelpOptions = true,
        description = "Opens N connections at once; prints the time until all are open and, given the "
                + "server's PID, its live heap per idle connection.")
final class Storm implements Callable<Integer> {

    @Mixin
    ServerChoice server;

    @Option(names = "--connections", defaultValue = "10000", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--in-flight", defaultValue = "1000", description = "Handshakes under way at once (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--departure", description = "Then closes them all at once and prints how long until a member "
            + "that stays has heard every leave.")
    boolean departure;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return server.run((room, pid, name) -> {
            StormRun run = new StormRun(room, connections, pid, inFlight);
            StormRun.Result result = (departure ? run.withDeparture() : run).run();
            PrintWriter out = spec.commandLine().getOut();
            Report.stormHeader(out);
            Report.stormRow(out, name, result);
            if (departure) {
                out.printf(java.util.Locale.ROOT, "%ndeparture (all close at once; until a member that stays has heard "
                        + "every leave): %.2f s%n", result.departureSeconds());
            }
            out.flush();
            return result.opened() == result.count() ? 0 : 1;
        });
    }
}
