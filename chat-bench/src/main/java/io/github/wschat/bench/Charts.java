package io.github.wschat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The compare chart: server CPU per delivery and p99 latency, per scenario and server. */
final class Charts {

    private Charts() {
    }

    private static double p99Millis(FanoutRun.Result result) {
        return result.latencyMicros().getValueAtPercentile(99) / 1000.0;
    }

    static void compare(Path file, List<String> scenarios, Map<String, List<FanoutRun.Result>> results)
            throws IOException {
        CategoryChart cpu = new CategoryChartBuilder().width(720).height(440)
                .title("Server CPU per delivered line").yAxisTitle("µs").build();
        CategoryChart latency = new CategoryChartBuilder().width(720).height(440)
                .title("p99 latency").yAxisTitle("ms").build();
        for (CategoryChart chart : List.of(cpu, latency)) {
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        }
        results.forEach((server, runs) -> {
            cpu.addSeries(server, scenarios, runs.stream().map(r -> Double.isNaN(r.serverMicrosPerDelivery())
                    ? 0.0 : r.serverMicrosPerDelivery()).toList());
            latency.addSeries(server, scenarios, runs.stream().map(Charts::p99Millis).toList());
        });
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = file.getFileName().toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(List.of(cpu, latency), 1, 2, parent.resolve(name).toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
