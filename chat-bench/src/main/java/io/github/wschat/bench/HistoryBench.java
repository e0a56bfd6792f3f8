package io.github.wschat.bench;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.history.jdbc.JdbcHistoryStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench history}: what keeping every line in PostgreSQL costs the chat. The busy room on
 * the demo jar without a store and with {@code --history-db} on a PostgreSQL of the bench's own,
 * alternating, in one run: server CPU per delivery, and rows the store wrote a second; then the most
 * lines a second that PostgreSQL takes from three writers batching as the server does (the ceiling).
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "The busy room with a PostgreSQL history store against none, and PostgreSQL's ceiling, in one run.")
final class HistoryBench implements Callable<Integer> {

    /** The server's batch ({@code HistoryWriter.BATCH}, package-private in chat-core). */
    private static final int CEILING_BATCH = 1000;

    @Option(names = "--clients", defaultValue = "50", description = "Members of the room (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--senders", defaultValue = "50", description = "Members that send (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--rate", defaultValue = "40", description = "Lines a second per sender (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--warmup", defaultValue = "20", description = "Warm-up seconds per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--rounds", defaultValue = "3", description = "Runs of each, alternating (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--transport", defaultValue = "netty", description = "The demo's transport (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar", description = "The demo jar (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--heap", defaultValue = "1g", description = "The demo's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--postgres-bin", defaultValue = "/usr/lib/postgresql/15/bin",
            description = "PostgreSQL's server programs (apt-get install postgresql) (default: ${DEFAULT-VALUE}).")
    Path postgresBin;

    @Spec
    CommandSpec spec;

    /** The postmaster's, once started. */
    private long postgresPid;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isExecutable(postgresBin.resolve("initdb"))) {
            spec.commandLine().getErr().println("history: " + postgresBin + " has no initdb: apt-get install postgresql");
            return 2;
        }
        try (Postgres postgres = Postgres.start(postgresBin)) {
            postgresPid = postgres.pid();
            out.printf(Locale.ROOT, "## chat-bench history%n%n%d cores; the demo on %s; %d members, %d senders × %s "
                    + "lines/s; PostgreSQL from %s; %d rounds, alternating%n%n", Runtime.getRuntime().availableProcessors(),
                    transport, clients, senders, rate, postgresBin, rounds);
            Report.fanoutHeader(out);
            List<FanoutRun.Result> none = new ArrayList<>();
            List<FanoutRun.Result> kept = new ArrayList<>();
            List<Double> rowsPerSecond = new ArrayList<>();
            List<StoreLag> lags = new ArrayList<>();
            List<String> costs = new ArrayList<>();
            List<String> where = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                Run without = run(List.of(), null);
                none.add(without.result());
                where.add("no store: " + without.where());
                Report.fanoutRow(out, "no store", none.get(round));
                String name = "r" + round;
                String db = postgres.database(name);
                long before = System.nanoTime();
                Run withStore = run(List.of("--history-db", db, "--history-db-user", Postgres.USER), db);
                kept.add(withStore.result());
                where.add("store: " + withStore.where());
                double seconds = (System.nanoTime() - before) / 1e9;
                long rows = postgres.rows(db);
                // Gone before the next round: its autovacuum (the inserts pass its threshold) would run
                // beside the next round's servers, on the same cores, and be counted against them.
                postgres.drop(name);
                rowsPerSecond.add(rows / seconds);
                lags.add(withStore.lag());
                costs.add(String.format(Locale.ROOT, "writer thread %.2f µs, PostgreSQL %.1f µs",
                        withStore.writerNanos() / 1e3 / rows, withStore.postgresNanos() / 1e3 / rows));
                Report.fanoutRow(out, "PostgreSQL store", kept.get(round));
                out.flush();
            }
            double withoutStore = median(none);
            double withStore = median(kept);
            out.printf(Locale.ROOT, "%nserver µs CPU per delivery, median of %d: no store %.3f, PostgreSQL store %.3f: "
                    + "%.3f× (target ≤ 1.05×); rows written %s a second over each run (warm-up included)%n", rounds,
                    withoutStore, withStore, withStore / withoutStore,
                    rowsPerSecond.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
            out.printf(Locale.ROOT, "store lag (how old the newest event in the database is, read from it every %d ms while the clients ran, warm-up included), "
                    + "p50 / p99 / max ms: %s%n", StoreLag.EVERY_MILLIS,
                    lags.stream().map(StoreLag::summary).toList());
            out.printf(Locale.ROOT, "CPU per row written, over each run: the chat's store writer thread (JDBC included) and "
                    + "PostgreSQL's processes (on the same cores): %s%n", costs);
            out.printf(Locale.ROOT, "the server's CPU over each measured window by its threads, µs per delivery "
                    + "(a fresh server's JIT still compiles what runs a few times a second):%n");
            where.forEach(line -> out.printf(Locale.ROOT, "- %s%n", line));
            double ceiling = ceiling(postgres.database("ceiling"));
            out.printf(Locale.ROOT, "PostgreSQL's ceiling here: %,.0f lines a second from three writers appending "
                    + "batches of %d (the server's batch) for 10 s%n", ceiling, CEILING_BATCH);
            out.flush();
        }
        return 0;
    }

    /**
     * A run's figures, the store lag sampled meanwhile, and the CPU nanoseconds over the run of the
     * chat's store writer thread and of PostgreSQL.
     */
    private record Run(FanoutRun.Result result, StoreLag lag, long writerNanos, long postgresNanos,
            Map<String, Long> windowNanos) {

        /** The server's CPU over the measured window by thread group, µs per delivery. */
        String where() {
            double delivered = result.delivered();
            return windowNanos.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue() / 1e3 / delivered))
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    /** One run; with a store ({@code db} not null), its lag read from the database meanwhile. */
    private Run run(List<String> extra, String db) throws Exception {
        try (ServerUnderTest demo = ServerUnderTest.demo(demoJar, heap, transport, 50, extra, "wschat");
                StoreLag lag = db == null ? null : new StoreLag(db, Postgres.USER)) {
            long postgresBefore = db == null ? 0 : CpuTime.processTree(postgresPid);
            Map<String, Long> window = new TreeMap<>();
            FanoutRun.Result result = new FanoutRun(new FanoutRun.Settings(List.of(demo.url().resolve("/chat")), clients,
                    senders, rate, 64, Fanout.seconds(warmup), Fanout.seconds(duration), List.of(demo.pid()), 2, "eager"),
                    what -> spec.commandLine().getErr().println("history: " + what))
                    .onWindow(open -> CpuTime.threadGroups(demo.pid())
                            .forEach((group, nanos) -> window.merge(group, open ? -nanos : nanos, Long::sum)))
                    .run();
            return new Run(result, lag, CpuTime.threads(demo.pid(), "wschat-history"),
                    db == null ? 0 : CpuTime.processTree(postgresPid) - postgresBefore, window);
        }
    }

    private static double median(List<FanoutRun.Result> results) {
        double[] values = results.stream().mapToDouble(FanoutRun.Result::serverMicrosPerDelivery).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** Lines a second three stores take, each appending batches of its own room as fast as it can. */
    private static double ceiling(String url) throws Exception {
        List<JdbcHistoryStore> stores = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stores.add(JdbcHistoryStore.open(url, Postgres.USER, ""));
        }
        try {
            AtomicLong written = new AtomicLong();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long start = System.nanoTime();
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                JdbcHistoryStore store = stores.get(w);
                String room = "ceiling-" + w;
                writers.add(CompletableFuture.runAsync(() -> {
                    long seq = 0;
                    while (System.nanoTime() < until) {
                        List<PlacedEvent> batch = new ArrayList<>(CEILING_BATCH);
                        for (int i = 0; i < CEILING_BATCH; i++) {
                            seq++;
                            batch.add(new PlacedEvent(room, "e", seq, System.currentTimeMillis(),
                                    new RoomEvent.Message("user-" + (seq % 50), "a line of about sixty characters, as people type", "")));
                        }
                        store.append(batch);
                        written.addAndGet(batch.size());
                    }
                }));
            }
            CompletableFuture.allOf(writers.toArray(new CompletableFuture[0])).join();
            return written.get() / ((System.nanoTime() - start) / 1e9);
        } finally {
            stores.forEach(JdbcHistoryStore::close);
        }
    }

    /** A PostgreSQL server of the bench's own: initdb in a temporary directory, pg_ctl on a free port; stopped by pg_ctl. */
    static final class Postgres implements AutoCloseable {
        static final String USER = "wschat";
        private final Path bin;
        private final Path dir;
        private final int port;
        private final boolean asPostgres = "root".equals(System.getProperty("user.name"));

        private Postgres(Path bin, Path dir, int port) {
            this.bin = bin;
            this.dir = dir;
            this.port = port;
        }

        static Postgres start(Path bin) throws Exception {
            Path dir = Files.createTempDirectory("chat-bench-pg");
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Postgres postgres = new Postgres(bin, dir, port);
            if (postgres.asPostgres) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            postgres.asUser(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            // Durable as a production server is by default (fsync on): the figures are a real store's.
            postgres.asUser(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "60", "-D",
                    dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"));
            return postgres;
        }

        private void asUser(List<String> command) throws IOException, InterruptedException {
            List<String> full = new ArrayList<>();
            if (asPostgres) {
                full.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            full.addAll(command);
            run(full);
        }

        private static void run(List<String> command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        }

        /** The postmaster's process id. */
        long pid() throws IOException {
            return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).strip());
        }

        /** A new database; its JDBC URL. */
        String database(String name) throws Exception {
            try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
                    var statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            }
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
        }

        /** Drops a database of {@link #database}, closing what is still connected to it. */
        void drop(String name) throws Exception {
            try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
                    var statement = connection.createStatement()) {
                statement.execute("DROP DATABASE " + name + " WITH (FORCE)");
            }
        }

        long rows(String url) throws Exception {
            try (var connection = DriverManager.getConnection(url, USER, "");
                    var statement = connection.createStatement();
                    var result = statement.executeQuery("SELECT count(*) FROM wschat_events")) {
                result.next();
                return result.getLong(1);
            }
        }

        @Override
        public void close() throws Exception {
            asUser(List.of(bin.resolve("pg_ctl").toString(), "stop", "-w", "-m", "fast", "-D", dir.resolve("data").toString()));
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
