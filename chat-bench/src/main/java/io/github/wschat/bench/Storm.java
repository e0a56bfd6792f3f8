package io.github.wschat.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chat-bench storm}: the connect storm against a running server. */
@Command(name = "storm", mixinStandardHelpOptions = true,
        description = "Opens N connections at once; prints the time until all are open and, given the "
                + "server's PID, its live heap per idle connection.")
final class Storm implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "e.g. ws://127.0.0.1:12345/chat")
    URI url;

    @Option(names = "--connections", defaultValue = "10000", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--server-pid", defaultValue = "0", description = "The server's PID (a JVM), for heap per connection.")
    long serverPid;

    @Option(names = "--in-flight", defaultValue = "1000", description = "Handshakes under way at once (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StormRun.Result result = new StormRun(url, connections, serverPid, inFlight).run();
        PrintWriter out = spec.commandLine().getOut();
        Report.stormHeader(out);
        Report.stormRow(out, url.toString(), result);
        out.flush();
        return result.opened() == result.count() ? 0 : 1;
    }
}
