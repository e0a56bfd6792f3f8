package io.github.wschat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every scenario runs for about a second at tiny size: the benchmarks work, they are not measured
 * here. compare starts its two servers as processes, the project's from the demo jar the reactor
 * built before this module.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BenchSmokeTest {

    private static final Path DEMO_JAR = Path.of("..", "chat-demo", "target", "chat-demo.jar");
    private static final Path EXAMPLE_JAR = Path.of("..", "chat-examples", "spring-boot", "target", "chat-example-spring-boot.jar");

    /** Skips where the jar was not built (this module alone); under CI, where the reactor builds it, fails. */
    static void requireJar(Path jar) {
        boolean built = Files.isRegularFile(jar);
        if (!built && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the smoke tests: " + jar + " was not built before this module");
        }
        Assumptions.assumeTrue(built, "needs " + jar + " (mvn package builds it)");
    }

    private static String run(int expectedExit, String... args) {
        StringWriter printed = new StringWriter();
        CommandLine command = new CommandLine(new BenchMain());
        command.setOut(new PrintWriter(printed));
        int exit = command.execute(args);
        String output = printed.toString();
        assertEquals(expectedExit, exit, output);
        return output;
    }

    @Test
    void compareRunsFanoutAndStormAgainstBothPeersAndTheTransportsGivenAndPrintsRatios(@TempDir Path dir) {
        requireJar(DEMO_JAR);
        requireJar(EXAMPLE_JAR);
        String output = run(0, "compare", "--scenarios", "10:2:5", "--duration", "1",
                "--warmup", "0.5", "--storm", "20", "--heap", "128m", "--chart", "none", "--client", "eager",
                "--transports", "netty,jakarta-tomcat", "--netty-peer",
                "--demo-jar", DEMO_JAR.toString(), "--example-jar", EXAMPLE_JAR.toString());
        // Java-WebSocket's server runs in the acks test below: here the other two and both hand-written peers.
        for (String server : List.of("baseline", "baseline-netty", "wschat/netty", "wschat/jakarta-tomcat")) {
            assertTrue(output.contains("| " + server + " | 10 | 2 × 5 |"), output);
            assertTrue(output.contains("| " + server + " | 20 | 20 |"), output);
        }
        assertTrue(output.contains("| 10 clients, 2 × 5/s | wschat/netty | baseline |"), output);
        assertTrue(output.contains("| 10 clients, 2 × 5/s | wschat/jakarta-tomcat | wschat/netty |"), output);
        assertTrue(output.contains("wschat/jakarta-tomcat ÷ wschat/netty: time to open"), output);
        assertTrue(output.contains("| 10 clients, 2 × 5/s | wschat/jakarta-tomcat | baseline |"), output);
        assertTrue(output.contains("| 10 clients, 2 × 5/s | wschat/netty | baseline-netty |"), output);
        assertTrue(output.contains("wschat/netty ÷ baseline-netty: time to open"), output);
        // One client engine: each run starts its server afresh, and the JDK's engine has its own runs below.
        assertTrue(output.contains("### Fan-out, eager clients"), output);
        assertTrue(output.contains("#### Verdict, eager clients"), output);
    }

    @Test
    void fanoutAndStormStartTheDemoOnTheTransportGiven() {
        requireJar(DEMO_JAR);
        // compare above runs the eager engine against every transport; here the subcommands themselves, on the JDK's.
        String jdk = run(0, "fanout", "--transport", "netty", "--client", "jdk", "--clients", "10", "--senders", "2",
                "--rate", "5", "--duration", "1", "--warmup", "0.5", "--heap", "128m", "--demo-jar", DEMO_JAR.toString());
        assertTrue(jdk.contains("| wschat/netty | 10 | 2 × 5 |"), jdk);
        String storm = run(0, "storm", "--transport", "netty", "--connections", "20", "--heap", "128m",
                "--demo-jar", DEMO_JAR.toString());
        assertTrue(storm.contains("| wschat/netty | 20 | 20 |"), storm);
    }

    @Test
    void acksRunsTheJsonRoomWithoutAndWithIdsAndPrintsTheRatio() {
        requireJar(DEMO_JAR);
        // Every line delivered, in order, on both: a run that lost lines or misread the JSON exits 1.
        String acks = run(0, "acks", "--transport", "java-websocket", "--client", "jdk", "--clients", "6", "--senders", "2",
                "--rate", "5", "--duration", "1", "--warmup", "0.5", "--rounds", "1", "--heap", "128m",
                "--demo-jar", DEMO_JAR.toString());
        assertTrue(acks.contains("| wschat/java-websocket json | 6 | 2 × 5 |"), acks);
        assertTrue(acks.contains("| wschat/java-websocket json+ids | 6 | 2 × 5 |"), acks);
        assertTrue(acks.contains("ids over none, per round: ["), acks);
    }

    @Test
    void theChartIsWrittenWhereFontsAreInstalled(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0,
                "no fonts to draw with");
        FanoutRun.Result one = new FanoutRun.Result(10, 2, 100, 10, 100, 100, 100,
                new org.HdrHistogram.Histogram(3), 0, 1.5, 0.1, 0, "eager", 0.6, 1.0, 120.0, 1.0);
        Path file = dir.resolve("chart.png");
        Charts.compare(file, List.of("10 clients, 2 × 5/s"), Map.of("baseline", List.of(one), "wschat/netty", List.of(one)));
        assertTrue(Files.size(file) > 1000);
    }
}
