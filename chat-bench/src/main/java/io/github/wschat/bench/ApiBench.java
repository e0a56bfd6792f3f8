package io.github.wschat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench api}: the webhooks and the server HTTP API beside a busy room, in one run. The busy
 * room on the demo jar alone (the baseline); with {@code --webhook-url} to a backend of the bench's own
 * (the webhooks' lag: receipt minus the event's time, and the server's CPU per delivery against the
 * baseline's); with {@code --api-key} and API clients reading members and history pages as fast as they
 * are answered (requests a second, their latency, and the room's p99 meanwhile).
 */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "The server HTTP API's requests a second and the webhooks' lag beside a busy room, against the room alone.")
final class ApiBench implements Callable<Integer> {

    private static final String KEY = "bench-api-key-0123456789";
    private static final String SECRET = "bench-webhook-secret-0123";

    @Option(names = "--api-clients", defaultValue = "2", description = "API clients, each one request at a time (default: ${DEFAULT-VALUE}).")
    int apiClients;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up seconds per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar", description = "The demo jar (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--heap", defaultValue = "1g", description = "The demo's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "## chat-bench api%n%n%d cores; the busy room (50 members, 50 senders × 40/s) on the demo "
                + "(Netty); %d API clients; %s s warm-up, %s s measured%n%n", Runtime.getRuntime().availableProcessors(),
                apiClients, warmup, duration);
        Report.fanoutHeader(out);
        FanoutRun.Result alone = run(List.of(), null, null);
        Report.fanoutRow(out, "room alone", alone);
        out.flush();

        // The webhook backend answers at once (no Nagle wait for a delayed ACK), as a real one should.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Recorder webhookLag = new Recorder(TimeUnit.MINUTES.toMillis(10), 3);
        AtomicLong events = new AtomicLong();
        // Lag counted for the events of the measured window only, as the room's latency is.
        long measureFrom = System.currentTimeMillis() + Math.round((warmup + 5) * 1000); // + the server's start
        ObjectMapper json = new ObjectMapper();
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        backend.createContext("/hooks", exchange -> {
            try (exchange) {
                long now = System.currentTimeMillis();
                JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
                for (JsonNode e : body.get("events")) {
                    long time = e.get("event").get("time").asLong();
                    if (time >= measureFrom) {
                        webhookLag.recordValue(Math.max(0, now - time));
                    }
                    events.incrementAndGet();
                }
                exchange.sendResponseHeaders(204, -1);
            }
        });
        backend.setExecutor(Executors.newFixedThreadPool(2));
        backend.start();
        FanoutRun.Result hooked;
        try {
            hooked = run(List.of("--webhook-url", "http://127.0.0.1:" + backend.getAddress().getPort() + "/hooks",
                    "--webhook-secret", SECRET), null, null);
        } finally {
            backend.stop(0);
        }
        var lag = webhookLag.getIntervalHistogram();
        long received = events.get();
        Report.fanoutRow(out, "room + webhooks", hooked);
        out.flush();
        int page = freePort();
        Recorder apiLatency = new Recorder(TimeUnit.MINUTES.toMicros(1), 3);
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        FanoutRun.Result asked = run(List.of("--http-port", Integer.toString(page), "--api-key", "bench=" + KEY),
                URI.create("http://127.0.0.1:" + page + "/api/rooms/lobby/"), new ApiLoad(apiLatency, requests, failures));
        Report.fanoutRow(out, "room + API clients", asked);
        var api = apiLatency.getIntervalHistogram();
        double seconds = warmup + duration;
        out.printf(Locale.ROOT, "%nwebhooks: %,d events received (%,.0f a second, warm-up included), lag (receipt minus the "
                + "event's time, events of the measured window) p50 %d ms, p99 %d ms, max %d ms; server CPU per delivery %.2f× the room alone's%n",
                received, received / seconds, lag.getValueAtPercentile(50), lag.getValueAtPercentile(99), lag.getMaxValue(),
                hooked.serverMicrosPerDelivery() / alone.serverMicrosPerDelivery());
        out.printf(Locale.ROOT, "API: %,.0f requests a second (members and 50-event history pages, %d clients each one "
                + "request at a time, warm-up included), p50 %.2f ms, p99 %.2f ms, %d failed; the room's p99 %.2f ms "
                + "(alone %.2f ms)%n", requests.get() / seconds, apiClients, api.getValueAtPercentile(50) / 1000.0,
                api.getValueAtPercentile(99) / 1000.0, failures.get(),
                asked.latencyMicros().getValueAtPercentile(99) / 1000.0, alone.latencyMicros().getValueAtPercentile(99) / 1000.0);
        out.flush();
        return 0;
    }

    /** API clients, each sending one request after another to the room's members and history. */
    private final class ApiLoad {
        final Recorder latency;
        final AtomicLong requests;
        final AtomicLong failures;

        ApiLoad(Recorder latency, AtomicLong requests, AtomicLong failures) {
            this.latency = latency;
            this.requests = requests;
            this.failures = failures;
        }

        void run(URI room, AtomicBoolean stop) {
            HttpClient http = HttpClient.newHttpClient();
            List<HttpRequest> asks = List.of(
                    HttpRequest.newBuilder(room.resolve("members")).header("Authorization", "Bearer " + KEY).build(),
                    HttpRequest.newBuilder(room.resolve("history?limit=50")).header("Authorization", "Bearer " + KEY).build());
            for (long i = 0; !stop.get(); i++) {
                long start = System.nanoTime();
                try {
                    HttpResponse<Void> answer = http.send(asks.get((int) (i % 2)), HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
                latency.recordValue(Math.min(TimeUnit.MINUTES.toMicros(1), (System.nanoTime() - start) / 1000));
                requests.incrementAndGet();
            }
        }
    }

    private FanoutRun.Result run(List<String> extra, URI api, ApiLoad load) throws Exception {
        try (ServerUnderTest demo = ServerUnderTest.demo(demoJar, heap, "netty", 50, extra, "wschat")) {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(Math.max(1, apiClients));
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            if (load != null) {
                for (int c = 0; c < apiClients; c++) {
                    running.add(clients.submit(() -> load.run(api, stop)));
                }
            }
            try {
                return new FanoutRun(new FanoutRun.Settings(List.of(demo.url().resolve("/chat")), 50, 50, 40, 64,
                        Fanout.seconds(warmup), Fanout.seconds(duration), List.of(demo.pid()), 2, "eager"),
                        what -> spec.commandLine().getErr().println("api: " + what)).run();
            } finally {
                stop.set(true);
                clients.shutdown();
                clients.awaitTermination(30, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
