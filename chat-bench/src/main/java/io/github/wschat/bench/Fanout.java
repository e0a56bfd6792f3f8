package io.github.wschat.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chat-bench fanout}: the fan-out scenario, against a running server or the demo on a transport. */
@Command(name = "fanout", mixinStandardHelpOptions = true,
        description = "N clients in one room, S of them sending at a fixed rate; prints deliveries/s, "
                + "the delivery ratio, latency percentiles, order violations, losses and, given the "
                + "server's PID, its CPU time per delivered line.")
final class Fanout implements Callable<Integer> {

    @Mixin
    ServerChoice server;

    @Option(names = "--clients", defaultValue = "1000", description = "Clients in the room (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--senders", defaultValue = "10", description = "Clients that send (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--rate", defaultValue = "10", description = "Lines a second per sender (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--payload", defaultValue = "64", description = "Bytes per line (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--client", defaultValue = "eager",
            description = "The generator's clients: eager (Netty, every frame read as it arrives, as browsers do) or jdk "
                    + "(the JDK's WebSocket, which reads more slowly) (default: ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--client-threads", defaultValue = "2", description = "Threads of the generator's clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return server.run((room, pid, name) -> {
            FanoutRun.Result result = new FanoutRun(new FanoutRun.Settings(room, clients, senders, rate, payload,
                    seconds(warmup), seconds(duration), pid, clientThreads, client),
                    what -> spec.commandLine().getErr().println("fanout: " + what)).run();
            PrintWriter out = spec.commandLine().getOut();
            Report.fanoutHeader(out);
            Report.fanoutRow(out, name, result);
            Report.saturation(out, name, result);
            out.flush();
            return result.losses() == 0 && result.orderViolations() == 0 ? 0 : 1;
        });
    }

    static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
