package io.github.wschat.tck.autobahn;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Autobahn TestSuite's cases of sections 1-7, 9, 10, 12 and 13, run against a server that echoes
 * ({@link EchoHandler}), and its report. The suite itself (Python 2) cannot run here; its case
 * definitions are plain, and each case is written in {@code Cases} as its definition sends and
 * judges it. Two departures, both for time: a case that ends by closing once its events came does so
 * {@code 0.1 s} after they match instead of waiting its whole delay, and a case's waits (the pauses of
 * 5.19, 5.20 and 6.4.x among them) are half the suite's. The compression cases' payloads are the kit's
 * own, of the suite's five kinds ({@code TestData}). Stateless.
 */
public final class AutobahnSuite {

    /** The message limit a server under the suite needs: its largest echo is 16 MiB. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 1024;

    /** The share of each of a case's waits the run waits. */
    private static final double TIME_SCALE = 0.5;

    private static String section(int section) {
        return switch (section) {
            case 1 -> "Framing";
            case 2 -> "Pings/Pongs";
            case 3 -> "Reserved bits";
            case 4 -> "Opcodes";
            case 5 -> "Fragmentation";
            case 6 -> "UTF-8 handling";
            case 7 -> "Close handling";
            case 9 -> "Limits/performance";
            case 10 -> "Auto-fragmentation";
            case 12 -> "Compression (payloads)";
            case 13 -> "Compression (parameters)";
            default -> "";
        };
    }

    private AutobahnSuite() {
    }

    /**
     * Runs the cases, one connection each, one after another.
     *
     * @param server where the echoing server listens
     * @param full whether to run the cases that move megabytes too (else they are left out)
     * @return each case's result, in the suite's order
     */
    public static List<AutobahnResult> run(InetSocketAddress server, boolean full) {
        return run(server, full, "");
    }

    /**
     * As {@link #run(InetSocketAddress, boolean)}, only the cases whose number starts with one of these
     * prefixes (comma-separated, e.g. {@code 6.4,13.7.12}); all for an empty string.
     *
     * @param server where the echoing server listens
     * @param full whether to run the cases that move megabytes too
     * @param only the prefixes of the cases to run
     * @return each case's result, in the suite's order
     */
    public static List<AutobahnResult> run(InetSocketAddress server, boolean full, String only) {
        List<String> prefixes = java.util.Arrays.stream(only.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
        List<AutobahnResult> results = new ArrayList<>();
        for (AutobahnCase c : Cases.all()) {
            boolean chosen = prefixes.isEmpty()
                    || prefixes.stream().anyMatch(p -> c.id().equals(p) || c.id().startsWith(p + "."));
            if (chosen && (full || !c.large())) {
                results.add(Runner.run(c, server, TIME_SCALE));
            }
        }
        return results;
    }

    /**
     * The report of one transport's run, in Markdown: a table by section with the count of each
     * verdict, a line for every case that is not OK with its reason, and the time of each case of
     * sections 9 and 10.
     *
     * @param transport the transport's name
     * @param results the run's results
     * @param full whether the run was the full one
     * @return the report
     */
    public static String report(String transport, List<AutobahnResult> results, boolean full) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(transport).append("\n\n");
        md.append(full ? "All cases of sections 1-7, 9, 10, 12 and 13." : "The CI set: sections 1-7, 9, 10, 12 and 13 without the cases "
                + "that move megabytes (`-Pconformance` runs them).").append(' ')
                .append(results.size()).append(" cases, ")
                .append(results.stream().filter(AutobahnResult::failed).count()).append(" FAILED.\n\n");
        md.append("| section | cases | OK | NON-STRICT | INFORMATIONAL | UNIMPLEMENTED | FAILED | close not OK |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<Integer, List<AutobahnResult>> bySection = results.stream()
                .collect(Collectors.groupingBy(AutobahnResult::section, TreeMap::new, Collectors.toList()));
        bySection.forEach((section, cases) -> {
            Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
            cases.forEach(r -> counts.merge(r.failed() ? Verdict.FAILED : r.behavior(), 1L, Long::sum));
            long closeNotOk = cases.stream().filter(r -> r.close() != Verdict.OK && r.close() != Verdict.INFORMATIONAL).count();
            md.append(String.format(Locale.ROOT, "| %d %s | %d | %d | %d | %d | %d | %d | %d |%n", section,
                    section(section), cases.size(), counts.getOrDefault(Verdict.OK, 0L),
                    counts.getOrDefault(Verdict.NON_STRICT, 0L), counts.getOrDefault(Verdict.INFORMATIONAL, 0L),
                    counts.getOrDefault(Verdict.UNIMPLEMENTED, 0L), counts.getOrDefault(Verdict.FAILED, 0L), closeNotOk));
        });
        long unimplemented = results.stream().filter(r -> r.behavior() == Verdict.UNIMPLEMENTED).count();
        if (unimplemented > 0) {
            md.append("\n").append(unimplemented).append(" cases UNIMPLEMENTED: the server declined permessage-deflate.\n");
        }
        List<AutobahnResult> notOk = results.stream().filter(r -> r.behavior() != Verdict.UNIMPLEMENTED)
                .filter(r -> r.behavior() != Verdict.OK || r.close() != Verdict.OK).toList();
        if (!notOk.isEmpty()) {
            md.append("\nNot OK:\n\n");
            for (AutobahnResult r : notOk) {
                md.append("- **").append(r.id()).append("** ").append(r.behavior().label()).append(" / close ")
                        .append(r.close().label()).append(" — sends ").append(r.sends()).append(": ")
                        .append(r.detail().isEmpty() ? "as allowed" : r.detail()).append('\n');
            }
        }
        List<AutobahnResult> timed = results.stream().filter(AutobahnResult::timed)
                .filter(r -> r.behavior() != Verdict.UNIMPLEMENTED).toList();
        if (!timed.isEmpty()) {
            md.append("\nTimes (handshake to close, ms; one run on a shared 2-core machine, loopback):\n\n");
            md.append("| case | sends | ms |\n|---|---|---:|\n");
            for (AutobahnResult r : timed) {
                md.append("| ").append(r.id()).append(" | ").append(r.sends()).append(" | ").append(r.millis())
                        .append(" |\n");
            }
        }
        return md.append('\n').toString();
    }
}
