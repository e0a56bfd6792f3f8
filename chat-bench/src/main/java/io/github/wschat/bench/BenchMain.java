package io.github.wschat.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar chat-bench.jar}: load and soak runs against wschat servers. */
@Command(name = "chat-bench", mixinStandardHelpOptions = true, version = "wschat bench 0.1.0",
        description = "Benchmarks for wschat servers. Figures go to standard output.",
        subcommands = {Fanout.class, Storm.class, Compare.class, DeflateCompare.class, Soak.class, Scale.class, Acks.class,
                Devices.class, HistoryBench.class, ApiBench.class, Storms.class, Jmh.class})
public final class BenchMain {

    BenchMain() {
    }

    /**
     * Runs a benchmark command.
     *
     * @param args the command line; {@code --help} lists the commands
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
