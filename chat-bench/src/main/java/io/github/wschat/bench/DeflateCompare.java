package io.github.wschat.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench deflate}: in one run, the demo server on each transport with compression off,
 * per member ({@code dedicated}: a window per member, every line compressed for each) and shared
 * (each line compressed once for the room), against clients that offer permessage-deflate as
 * browsers do, with lines of chat-like words, in plain text and JSON; prints bytes on the wire per
 * delivered line and server CPU per delivery, with ratios to no compression, and the bytes of a join
 * burst (the history a joining member is sent).
 */
@Command(name = "deflate", mixinStandardHelpOptions = true,
        description = "Measures permessage-deflate: bytes on the wire and server CPU per delivery with compression off, "
                + "per member (dedicated) and shared, on plain and JSON lines, and the bytes of a join burst.")
final class DeflateCompare implements Callable<Integer> {

    @Option(names = "--scenarios", defaultValue = "1000:2:50,50:50:40", split = ",",
            converter = Compare.ScenarioConverter.class, paramLabel = "CLIENTS:SENDERS:RATE",
            description = "Fan-out scenarios (default: ${DEFAULT-VALUE}: the wide room and the busy room).")
    List<Compare.Scenario> scenarios;

    @Option(names = "--transports", defaultValue = "netty,java-websocket,jakarta-tomcat", split = ",",
            description = "The demo's transports, and jakarta-tomcat: the Spring Boot example, where "
                    + "wschat.compression=dedicated lets Tomcat compress per member and shared declines "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> transports;

    @Option(names = "--modes", defaultValue = "off,dedicated,shared", split = ",",
            description = "The demo's --compression settings; the first is the baseline of the ratios (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--wires", defaultValue = "plain,json", split = ",",
            description = "plain (the seed's text) and json (wschat.v1.json) (default: ${DEFAULT-VALUE}).")
    List<String> wires;

    @Option(names = "--payload", defaultValue = "100", description = "Bytes per line, words of chat (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--client", defaultValue = "eager-deflate",
            description = "The clients: eager-deflate (offering permessage-deflate, as browsers do) or eager (offering "
                    + "nothing: every mode then sends plain, which shows what the setting costs by itself) "
                    + "(default: ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--history", defaultValue = "50", description = "History lines a joining member is sent (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--joins", defaultValue = "100", description = "Members joining one after another for the join burst (default: ${DEFAULT-VALUE}).")
    int joins;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar", description = "The project's server (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--example-jar", defaultValue = "chat-examples/spring-boot/target/chat-example-spring-boot.jar",
            description = "For jakarta-tomcat: the Spring Boot example's jar (default: ${DEFAULT-VALUE}).")
    Path exampleJar;

    @Option(names = "--heap", defaultValue = "1g", description = "Each server's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--client-threads", defaultValue = "2", description = "Threads of the generator's clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Spec
    CommandSpec spec;

    /** What one join burst cost, averaged over the joins. */
    record Burst(double bytesPerJoin, double serverMicrosPerJoin) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "## chat-bench deflate%n%n%s; %d cores; %s %s; lines of %d bytes of chat words; "
                        + "clients: %s%n%n",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), payload, client.equals("eager-deflate")
                        ? "eager, offering permessage-deflate, inflating and compressing with the JDK's zlib as a browser does" : client + ", offering no extension");
        Map<String, FanoutRun.Result> results = new LinkedHashMap<>();
        Map<String, Burst> bursts = new LinkedHashMap<>();
        for (String transport : transports) {
            for (String mode : modes) {
                String name = transport + "/" + mode;
                try (ServerUnderTest server = ServerUnderTest.wschat(demoJar, exampleJar, heap, transport, history,
                        List.of("--compression", mode), List.of("--wschat.compression=" + mode))) {
                    for (String wire : wires) {
                        FanoutRun.Wire w = wire(wire);
                        for (Compare.Scenario scenario : scenarios) {
                            System.err.printf(Locale.ROOT, "%s, %s, %s%n", name, wire, scenario.label());
                            awaitAnswering(server, w);
                            FanoutRun.Settings settings = new FanoutRun.Settings(List.of(server.url().resolve("/chat")), scenario.clients(),
                                    scenario.senders(), scenario.rate(), payload, seconds(warmup), seconds(duration),
                                    List.of(server.pid()), clientThreads, client, w).withProse();
                            results.put(key(name, wire, scenario), new FanoutRun(settings).run());
                        }
                        bursts.put(name + "|" + wire, burst(server, w));
                    }
                }
            }
            print(out, transport, results, bursts); // each transport's table as soon as it is measured
            out.flush();
        }
        out.println("Ratios are to `" + modes.get(0) + "` on the same transport, wire and room, in this run. Bytes "
                + "are what the clients read from their sockets per delivered line (frames and headers; the join "
                + "burst includes the handshake's response).");
        out.flush();
        return 0;
    }

    private static FanoutRun.Wire wire(String name) {
        return switch (name) {
            case "plain" -> FanoutRun.Wire.PLAIN;
            case "json" -> FanoutRun.Wire.JSON;
            default -> throw new IllegalArgumentException("a wire is plain or json, not " + name);
        };
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }

    private static String key(String server, String wire, Compare.Scenario scenario) {
        return server + "|" + wire + "|" + scenario.label();
    }

    /**
     * The history burst: {@code history} lines said in a room of their own, then {@code joins} members
     * joining it one after another, each until it has the last history line; bytes read and server CPU
     * per join. (The demo announces no joins here, so the history stays those lines.)
     */
    private Burst burst(ServerUnderTest server, FanoutRun.Wire wire) throws Exception {
        URI room = URI.create(server.url().toString() + "chat/burst-" + wire.name().toLowerCase(Locale.ROOT));
        String last = "h " + (history - 1) + " ";
        try (ClientEngine engine = ClientEngine.named(client, 1)) {
            CompletableFuture<Void> said = new CompletableFuture<>();
            // Patiently: a server the fan-out saturated (per-member compression in the wide room) may take
            // a while to work through what it had queued.
            ClientEngine.Socket speaker = openPatiently(engine, room, wire, frame -> {
                if (frame.contains(last)) {
                    said.complete(null);
                }
            });
            FanoutRun.Prose prose = new FanoutRun.Prose(payload, 42);
            for (int i = 0; i < history; i++) {
                speaker.send(wire.command(0, i, "h " + i + " " + prose.next())).get(10, TimeUnit.SECONDS);
            }
            said.get(120, TimeUnit.SECONDS);
            long bytes = 0;
            long[] before0 = ServerFigures.cpuSplitMicros(server.pid());
            long cpuBefore = before0[0] + before0[1];
            // Joiners stay until the end: a leave would be a room event, and push the history out of the window.
            List<ClientEngine.Socket> joined = new ArrayList<>();
            for (int j = 0; j < joins; j++) {
                CompletableFuture<Void> caughtUp = new CompletableFuture<>();
                long before = engine.wireBytesRead();
                ClientEngine.Socket joiner = openPatiently(engine, room, wire, frame -> {
                    if (frame.contains(last)) {
                        caughtUp.complete(null);
                    }
                });
                caughtUp.get(120, TimeUnit.SECONDS);
                bytes += engine.wireBytesRead() - before;
                joined.add(joiner);
            }
            long[] cpu = ServerFigures.cpuSplitMicros(server.pid());
            joined.forEach(ClientEngine.Socket::abort);
            speaker.abort();
            return new Burst((double) bytes / joins, (double) (cpu[0] + cpu[1] - cpuBefore) / joins);
        }
    }

    /**
     * Waits until the server completes a handshake again: one that a run saturated (per-member
     * compression in the wide room) may take a while to work off what it had queued.
     */
    private void awaitAnswering(ServerUnderTest server, FanoutRun.Wire wire) throws Exception {
        try (ClientEngine engine = ClientEngine.named(client, 1)) {
            openPatiently(engine, server.url().resolve("/chat"), wire, frame -> { }).abort();
        }
    }

    private static ClientEngine.Socket openPatiently(ClientEngine engine, URI room, FanoutRun.Wire wire,
            ClientEngine.Lines lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            try {
                return engine.open(room, 1, wire.subprotocol(), i -> lines).get(0);
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                System.err.println("the server is not answering yet (" + notYet.getMessage() + "); trying again");
            }
        }
    }

    private void print(PrintWriter out, String transport, Map<String, FanoutRun.Result> results,
            Map<String, Burst> bursts) {
        String baseline = modes.get(0);
        out.printf(Locale.ROOT, "### %s%n%n", transport);
        List<String> header = new ArrayList<>(List.of("compression", "wire"));
        for (Compare.Scenario scenario : scenarios) {
            header.add(scenario.label() + ": bytes/line");
            header.add("CPU µs/delivery");
            header.add("p99 ms");
            header.add("delivered");
            header.add("bench cores");
        }
        header.add("join burst: bytes");
        header.add("CPU µs/join");
        out.println("| " + String.join(" | ", header) + " |");
        out.println("|" + "---|".repeat(header.size()));
        for (String wire : wires) {
            for (String mode : modes) {
                String name = transport + "/" + mode;
                List<String> row = new ArrayList<>(List.of(mode, wire));
                for (Compare.Scenario scenario : scenarios) {
                    FanoutRun.Result r = results.get(key(name, wire, scenario));
                    FanoutRun.Result base = results.get(key(transport + "/" + baseline, wire, scenario));
                    row.add(withRatio(r.wireBytesPerDelivery(), base.wireBytesPerDelivery(), "%.0f"));
                    row.add(withRatio(r.serverMicrosPerDelivery(), base.serverMicrosPerDelivery(), "%.2f"));
                    row.add(String.format(Locale.ROOT, "%.1f", r.latencyMicros().getValueAtPercentile(99) / 1000.0));
                    row.add(String.format(Locale.ROOT, "%.1f %%", 100 * r.deliveryRatio()));
                row.add(String.format(Locale.ROOT, "%.2f", r.benchCores()));
                }
                Burst b = bursts.get(name + "|" + wire);
                Burst bb = bursts.get(transport + "/" + baseline + "|" + wire);
                row.add(withRatio(b.bytesPerJoin(), bb.bytesPerJoin(), "%.0f"));
                row.add(withRatio(b.serverMicrosPerJoin(), bb.serverMicrosPerJoin(), "%.0f"));
                out.println("| " + String.join(" | ", row) + " |");
            }
        }
        out.println();
    }

    private static String withRatio(double value, double base, String format) {
        String text = String.format(Locale.ROOT, format, value);
        return base > 0 && !Double.isNaN(value) ? text + String.format(Locale.ROOT, " (%.2f×)", value / base) : text;
    }
}
