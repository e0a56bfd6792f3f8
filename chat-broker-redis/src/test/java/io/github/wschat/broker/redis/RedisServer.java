package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's {@code redis-server} package) of the test's own, on a free
 * port of 127.0.0.1, without persistence; stopped by its PID. Where the program is missing the test
 * is skipped with how to install it — except under CI ({@code CI=true}), where that fails the run.
 * Public, in this module's test jar, for the demo's cluster test.
 */
public final class RedisServer implements AutoCloseable {

    private static final Path BINARY = binary();

    private final int port;
    private final Path log;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path log, Path dir) {
        this.port = port;
        this.log = log;
        this.dir = dir;
    }

    /**
     * The redis-server to run: {@code /usr/bin/redis-server}, or the one the environment variable
     * {@code WSCHAT_REDIS_SERVER} names (another build of Redis, or Valkey's).
     */
    static Path binary() {
        String named = System.getenv("WSCHAT_REDIS_SERVER");
        return Path.of(named == null || named.isBlank() ? "/usr/bin/redis-server" : named);
    }

    public static void requireInstalled() {
        boolean installed = Files.isExecutable(BINARY);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the Redis tests: " + BINARY
                    + " is missing; .ci/run installs it with apt-get install redis-server");
        }
        Assumptions.assumeTrue(installed, "Redis tests need redis-server: sudo apt-get install redis-server");
    }

    /**
     * Starts one on a free port. A port found free can be taken by another build's server before
     * this one binds it (CI builds modules side by side): a server that exits at once is started
     * again on a new port, at most three times.
     */
    public static RedisServer start() throws IOException {
        requireInstalled();
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            RedisServer server = new RedisServer(port, Files.createTempFile("wschat-redis-", ".log"),
                    Files.createTempDirectory("wschat-redis-"));
            try {
                server.launch();
                return server;
            } catch (Exited e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The server stopped before it answered. */
    private static final class Exited extends IllegalStateException {
        Exited(String message) {
            super(message);
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                "--dir", dir.toString(), "--dbfilename", "dump.rdb")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("redis-server answers on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsMatching(e -> !(e instanceof Exited)).until(this::answersPing);
    }

    private boolean answersPing() throws IOException {
        if (!process.isAlive()) {
            throw new Exited("redis-server exited: " + Files.readString(log));
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server (SIGKILL): everything in it is lost. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port, empty. */
    public void restart() throws IOException {
        Files.deleteIfExists(dir.resolve("dump.rdb"));
        launch();
    }

    /**
     * Saves a snapshot now ({@code SAVE}) and keeps a copy of it aside, for {@link #restartFrom}.
     *
     * @return the copy
     */
    public Path snapshot() throws IOException {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(uri());
        try (var connection = client.connect()) {
            connection.sync().save();
        } finally {
            client.shutdown();
        }
        Path copy = Files.createTempFile(dir, "snapshot-", ".rdb");
        Files.copy(dir.resolve("dump.rdb"), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    /** Starts it again on the same port with the data of an earlier {@link #snapshot}: older data under the same marker. */
    public void restartFrom(Path snapshot) throws IOException {
        Files.copy(snapshot, dir.resolve("dump.rdb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
