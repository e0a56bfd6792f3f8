package io.github.wschat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The compare chart: deliveries/s and p99 latency against the number of clients, per server. */
final class Charts {

    private Charts() {
    }

    /** The p99 in milliseconds, at least a microsecond: a logarithmic axis has no zero. */
    private static double p99Millis(FanoutRun.Result result) {
        return Math.max(0.001, result.latencyMicros().getValueAtPercentile(99) / 1000.0);
    }

    static void fanout(Path file, List<Integer> clients, List<Double> rates, List<FanoutRun.Result> base,
            List<FanoutRun.Result> ours) throws IOException {
        XYChart throughput = new XYChartBuilder().width(640).height(420).title("Fan-out: deliveries per second")
                .xAxisTitle("clients in the room").yAxisTitle("deliveries/s").build();
        XYChart latency = new XYChartBuilder().width(640).height(420).title("Fan-out: p99 latency")
                .xAxisTitle("clients in the room").yAxisTitle("p99 (ms)").build();
        for (XYChart chart : List.of(throughput, latency)) {
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
            chart.getStyler().setYAxisDecimalPattern("#,##0.#");
            chart.getStyler().setXAxisDecimalPattern("#,##0");
        }
        // Latency spans milliseconds to the seconds of a server that falls behind.
        latency.getStyler().setYAxisLogarithmic(true);
        latency.getStyler().setYAxisMin(null);
        int i = 0;
        for (double rate : rates) {
            List<Double> x = new ArrayList<>();
            List<Double> baseRate = new ArrayList<>();
            List<Double> oursRate = new ArrayList<>();
            List<Double> baseP99 = new ArrayList<>();
            List<Double> oursP99 = new ArrayList<>();
            for (int size : clients) {
                x.add((double) size);
                baseRate.add(base.get(i).deliveriesPerSecond());
                oursRate.add(ours.get(i).deliveriesPerSecond());
                baseP99.add(p99Millis(base.get(i)));
                oursP99.add(p99Millis(ours.get(i)));
                i++;
            }
            String label = String.format(Locale.ROOT, " (%s lines/s per sender)", rate == Math.rint(rate)
                    ? Long.toString((long) rate) : Double.toString(rate));
            throughput.addSeries("baseline" + label, x, baseRate).setMarker(SeriesMarkers.CIRCLE);
            throughput.addSeries("wschat" + label, x, oursRate).setMarker(SeriesMarkers.DIAMOND);
            latency.addSeries("baseline" + label, x, baseP99).setMarker(SeriesMarkers.CIRCLE);
            latency.addSeries("wschat" + label, x, oursP99).setMarker(SeriesMarkers.DIAMOND);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = file.getFileName().toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(List.of(throughput, latency), 1, 2, parent.resolve(name).toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
