package io.github.wschat.bench;

import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Prints results as Markdown tables. */
final class Report {

    private Report() {
    }

    static void fanoutHeader(PrintWriter out) {
        out.println("| server | clients | senders × rate | offered deliveries/s | deliveries/s | delivered "
                + "| p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | order violations | lost | server µs CPU/delivery "
                + "| of it kernel | TCP segments/delivery | generator CPU (cores) |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    }

    static void fanoutRow(PrintWriter out, String server, FanoutRun.Result r) {
        Histogram h = r.latencyMicros();
        out.println(String.format(Locale.ROOT,
                "| %s | %d | %d × %s | %,.0f | %,.0f | %.4f | %s | %s | %s | %s | %s | %d | %d | %s | %s | %s | %.2f |",
                server, r.clients(), r.senders(), trim(r.offeredPerSecond() / r.senders() / r.clients()),
                r.offeredPerSecond(), r.deliveriesPerSecond(), r.deliveryRatio(),
                ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), millis(h.getMaxValue()),
                r.orderViolations(), r.losses(), Double.isNaN(r.serverMicrosPerDelivery()) ? "—"
                        : String.format(Locale.ROOT, "%.2f", r.serverMicrosPerDelivery()),
                Double.isNaN(r.serverKernelShare()) ? "—"
                        : String.format(Locale.ROOT, "%.0f %%", 100 * r.serverKernelShare()),
                Double.isNaN(r.segmentsPerDelivery()) ? "—" : String.format(Locale.ROOT, "%.3f", r.segmentsPerDelivery()),
                r.benchCores()));
    }

    /** Says so when the generator, not the server, may be the limit. */
    static void saturation(PrintWriter out, String server, FanoutRun.Result r) {
        String run = String.format(Locale.ROOT, "%s, %d clients, %d × %s/s, %s clients", server, r.clients(), r.senders(),
                trim(r.offeredPerSecond() / r.senders() / r.clients()), r.client());
        if (r.benchCores() > 0.9) {
            out.printf(Locale.ROOT, "%nnote (%s): the generator used %.2f cores of this machine's %d; it may be the "
                    + "bottleneck.%n", run, r.benchCores(), Runtime.getRuntime().availableProcessors());
        }
        if (r.lagGrowth() > 3) {
            out.printf(Locale.ROOT, "%nnote (%s): the median receive lag grew %.1f× from the first measured second to "
                    + "the last: the generator or the server is falling behind.%n", run, r.lagGrowth());
        }
        if (r.sendsBehind() > 0) {
            out.printf(Locale.ROOT, "%nnote (%s): senders fell behind the offered rate %d times (a previous line was "
                    + "still being written).%n", run, r.sendsBehind());
        }
    }

    static void stormHeader(PrintWriter out) {
        out.println("| server | connections | opened | seconds | server heap per idle connection |");
        out.println("|---|---:|---:|---:|---:|");
    }

    static void stormRow(PrintWriter out, String server, StormRun.Result r) {
        out.println(String.format(Locale.ROOT, "| %s | %,d | %,d | %.2f | %s |", server, r.count(), r.opened(), r.seconds(),
                Double.isNaN(r.heapBytesPerConnection()) ? "—"
                        : String.format(Locale.ROOT, "%.1f KiB", r.heapBytesPerConnection() / 1024)));
    }

    static String ms(Histogram h, double percentile) {
        return millis(h.getValueAtPercentile(percentile));
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
