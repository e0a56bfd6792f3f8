package io.github.wschat.history.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of a test's own: {@code initdb} in a temporary directory, then {@code postgres}
 * on a free port of 127.0.0.1 (fsync off: a test's data need not survive a power cut), run as the
 * {@code postgres} user where the test runs as root (PostgreSQL refuses root). Started with
 * {@code pg_ctl start -w}, stopped with {@code pg_ctl stop} on its data directory, which names the PID
 * it started. Where the server binaries are missing the test is skipped with how to install them —
 * except under CI ({@code CI=true}), where that fails the run. Public, in this module's test jar.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Path BINARIES = binaries();
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path dir, int port, boolean asPostgres) {
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** The newest {@code /usr/lib/postgresql/N/bin}, or the one {@code WSCHAT_POSTGRES_BIN} names. */
    private static Path binaries() {
        String named = System.getenv("WSCHAT_POSTGRES_BIN");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString)).orElse(Path.of("/usr/lib/postgresql/15/bin"));
        } catch (IOException e) {
            return Path.of("/usr/lib/postgresql/15/bin");
        }
    }

    public static void requireInstalled() {
        boolean installed = Files.isExecutable(BINARIES.resolve("initdb")) && Files.isExecutable(BINARIES.resolve("pg_ctl"));
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the PostgreSQL tests: " + BINARIES
                    + " has no initdb; .ci/run installs it with apt-get install postgresql");
        }
        Assumptions.assumeTrue(installed, "PostgreSQL tests need its server: sudo apt-get install postgresql");
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        requireInstalled();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("wschat-pg");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresServer server = new PostgresServer(dir, port, root);
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        server.run(List.of(BINARIES.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "wschat",
                "--auth=trust", "-E", "UTF8", "--no-sync"));
        server.run(List.of(BINARIES.resolve("pg_ctl").toString(), "start", "-w", "-t", "60", "-D",
                dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                        + "-c full_page_writes=off -c max_connections=100"));
        server.awaitConnections();
        return server;
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        run(command, asPostgres);
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + output);
        }
    }

    private void awaitConnections() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (var connection = DriverManager.getConnection(jdbcUrl(), "wschat", "")) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100); // polling a server that said it started, bounded by the deadline
            }
        }
        throw new IOException("PostgreSQL on port " + port + " took no connection", last);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "wschat";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(List.of(BINARIES.resolve("pg_ctl").toString(), "stop", "-w", "-m", "fast", "-D", dir.resolve("data").toString()));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
