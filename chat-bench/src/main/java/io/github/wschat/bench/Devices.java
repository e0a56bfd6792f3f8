package io.github.wschat.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench devices}: the cost of people on several devices. The wide room twice, on the demo
 * jar with JSON Web Tokens, in one run: {@code members × devices} people on one connection each, then
 * {@code members} people on {@code devices} connections each — the same connections, the same lines,
 * the same deliveries; the ratio of the server's CPU per delivered frame says what presence by person
 * costs the fan-out.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "The wide room with every member on several devices against as many members on one each: "
                + "server CPU per delivered frame, in one run.")
final class Devices implements Callable<Integer> {

    private static final String SECRET = "chat-bench devices: a secret of 32 bytes or more";

    @Option(names = "--members", defaultValue = "1000", description = "People, each on --devices connections (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--devices", defaultValue = "2", description = "Connections per person (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--senders", defaultValue = "2", description = "Connections that send (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--rate", defaultValue = "50", description = "Lines a second per sender (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--payload", defaultValue = "64", description = "Bytes per line (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--rounds", defaultValue = "2", description = "Runs of each, alternating (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--transport", defaultValue = "netty", description = "The demo's transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--client", defaultValue = "eager", description = "The generator's clients, eager or jdk (default: ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--client-threads", defaultValue = "2", description = "Threads of the generator's clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar", description = "The demo jar (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--heap", defaultValue = "1g", description = "The demo's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int connections = members * devices;
        out.printf(Locale.ROOT, "## chat-bench devices%n%n%d cores; the demo on %s with --jwt-secret; %d connections; "
                + "%d senders × %s lines/s; %s clients; %d rounds, alternating%n%n",
                Runtime.getRuntime().availableProcessors(), transport, connections, senders, rate, client, rounds);
        Report.fanoutHeader(out);
        List<FanoutRun.Result> single = new ArrayList<>();
        List<FanoutRun.Result> multi = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            single.add(run(connections, 1));
            Report.fanoutRow(out, connections + " people × 1 device", single.get(round));
            multi.add(run(members, devices));
            Report.fanoutRow(out, members + " people × " + devices + " devices", multi.get(round));
            out.flush();
        }
        double one = median(single);
        double many = median(multi);
        out.printf(Locale.ROOT, "%nserver µs CPU per delivered frame, median of %d: one device each %.3f, %d devices "
                + "each %.3f: %.3f× (target ≤ 1.05×)%n", rounds, one, devices, many, many / one);
        out.flush();
        boolean complete = single.stream().allMatch(r -> r.losses() == 0 && r.orderViolations() == 0)
                && multi.stream().allMatch(r -> r.losses() == 0 && r.orderViolations() == 0);
        return complete ? 0 : 1;
    }

    private static double median(List<FanoutRun.Result> results) {
        double[] values = results.stream().mapToDouble(FanoutRun.Result::serverMicrosPerDelivery).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** One run on a fresh demo: {@code people} identities, each on {@code each} connections. */
    private FanoutRun.Result run(int people, int each) throws Exception {
        spec.commandLine().getErr().println("devices: " + people + " people × " + each);
        try (ServerUnderTest demo = ServerUnderTest.demo(demoJar, heap, transport, 0, List.of("--jwt-secret", SECRET,
                "--max-connections-per-user", Integer.toString(Math.max(10, each))), "wschat")) {
            URI base = demo.url().resolve("/chat");
            List<URI> urls = new ArrayList<>(people * each);
            for (int person = 0; person < people; person++) {
                URI url = URI.create(base + "?token=" + token("p" + person));
                for (int device = 0; device < each; device++) {
                    urls.add(url);
                }
            }
            return new FanoutRun(new FanoutRun.Settings(urls, people * each, senders, rate, payload,
                    Fanout.seconds(warmup), Fanout.seconds(duration), List.of(demo.pid()), clientThreads, client),
                    what -> spec.commandLine().getErr().println("devices: " + what)).run();
        }
    }

    /** An HS256 JWT for {@code sub}, valid for a day, as a backend signs one. */
    static String token(String sub) throws GeneralSecurityException {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = System.currentTimeMillis() / 1000 + 86_400;
        String claims = url.encodeToString(("{\"sub\":\"" + sub + "\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = url.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8)));
        return header + "." + claims + "." + signature;
    }
}
