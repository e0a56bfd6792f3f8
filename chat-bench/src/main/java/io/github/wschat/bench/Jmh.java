package io.github.wschat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code chat-bench jmh [JMH options]}: the JMH microbenchmarks of core's hot path. */
@Command(name = "jmh",
        description = "Runs the JMH microbenchmarks (room fan-out to 1,000 connections, encoding a line); "
                + "every argument goes to JMH, e.g. jmh FanoutBenchmark -f 1 -wi 3 -i 5; jmh -h for JMH's help.")
final class Jmh implements Callable<Integer> {

    @Unmatched
    List<String> options = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(options.toArray(String[]::new));
        return 0;
    }
}
