package io.github.wschat.bench;

import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code chat-bench storms}: the connect storm against the hand-written Netty chat
 * ({@link BaselineNettyChatServer}) and wschat on Netty, fresh servers round by round in one run, each
 * round's ratio printed; the bar is wschat ≤ 1.0× the peer in three runs. An uncounted storm
 * first warms the generator's own code, and the two take turns going first, so that neither is
 * always the one to meet a colder generator.
 */
@Command(name = "storms", mixinStandardHelpOptions = true,
        description = "The connect storm: the hand-written Netty chat and wschat on Netty, alternating, with each round's ratio.")
final class Storms implements Callable<Integer> {

    @Option(names = "--connections", defaultValue = "10000", description = "Connections a storm (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--in-flight", defaultValue = "1000", description = "Handshakes under way at once (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--rounds", defaultValue = "3", description = "Storms of each (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--transport", defaultValue = "netty", description = "wschat's transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar", description = "The demo jar (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--heap", defaultValue = "1g", description = "Each server's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--demo-arg", description = "More arguments for the demo (repeatable), e.g. --demo-arg=--compression=off.")
    List<String> demoArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "## chat-bench storms%n%n%d cores; %,d connections, %d handshakes in flight; one storm "
                + "to warm the generator, then %d rounds of fresh servers, each round's first the other's second%n%n", Runtime.getRuntime().availableProcessors(), connections, inFlight, rounds);
        Report.stormHeader(out);
        List<Double> ratios = new ArrayList<>();
        List<String> departures = new ArrayList<>();
        boolean all = true;
        // The generator is a JVM too: its first storm runs its own code cold, slower than the servers
        // (the first round's peer was always the one to pay for it). One storm it does not count warms
        // it; then the servers take turns going first.
        try (ServerUnderTest warmUp = ServerUnderTest.nettyBaseline(heap)) {
            new StormRun(warmUp.url().resolve("/chat"), connections, 0, inFlight).run();
        }
        for (int round = 0; round < rounds; round++) {
            StormRun.Result peer;
            StormRun.Result ours;
            if (round % 2 == 0) {
                peer = storm(ServerUnderTest.nettyBaseline(heap), out);
                ours = storm(wschat(), out);
            } else {
                ours = storm(wschat(), out);
                peer = storm(ServerUnderTest.nettyBaseline(heap), out);
            }
            all &= peer.opened() == peer.count() && ours.opened() == ours.count();
            ratios.add(ours.seconds() / peer.seconds());
            departures.add(String.format(Locale.ROOT, "%s %s, wschat %s", ServerUnderTest.NETTY_BASELINE,
                    seconds(peer.departureSeconds()), seconds(ours.departureSeconds())));
        }
        out.printf(Locale.ROOT, "%nwschat/%s ÷ %s, time to open, round by round: %s (bar: ≤ 1.0× in every round)%n", transport,
                ServerUnderTest.NETTY_BASELINE, ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f×", r)).toList());
        out.printf(Locale.ROOT, "departure (all %,d close at once; until a member that stays has heard every leave), "
                + "round by round: %s%n", connections, departures);
        out.flush();
        return all ? 0 : 1;
    }

    private ServerUnderTest wschat() throws IOException {
        return ServerUnderTest.wschat(demoJar, Path.of("none"), heap, transport, 0, demoArgs, List.of());
    }

    private StormRun.Result storm(ServerUnderTest server, PrintWriter out) throws Exception {
        try (server) {
            StormRun.Result result = new StormRun(server.url().resolve("/chat"), connections, server.pid(), inFlight)
                    .withDeparture().run();
            Report.stormRow(out, server.name(), result);
            out.flush();
            return result;
        }
    }

    private static String seconds(double seconds) {
        return Double.isInfinite(seconds) ? "not within 120 s" : String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
