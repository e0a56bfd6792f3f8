package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis master, its replica and a real Sentinel ({@code redis-sentinel}, Debian's package of
 * that name) watching them as {@code wschat}, each on a free port of 127.0.0.1, the master declared
 * down after a second. Stopped by their PIDs. Where {@code redis-sentinel} is missing the test is
 * skipped with how to install it, except under CI ({@code CI=true}), where that fails the run.
 */
final class RedisSentinelServers implements AutoCloseable {

    private static final Path SERVER = RedisServer.binary();
    private static final Path SENTINEL = Path.of("/usr/bin/redis-sentinel");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    final int masterPort;
    final int replicaPort;
    final int sentinelPort;

    private RedisSentinelServers(Path dir, int masterPort, int replicaPort, int sentinelPort) {
        this.dir = dir;
        this.masterPort = masterPort;
        this.replicaPort = replicaPort;
        this.sentinelPort = sentinelPort;
    }

    static void requireInstalled() {
        RedisServer.requireInstalled();
        boolean installed = Files.isExecutable(SENTINEL);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the Sentinel tests: " + SENTINEL
                    + " is missing; .ci/run installs it with apt-get install redis-sentinel");
        }
        Assumptions.assumeTrue(installed, "Sentinel tests need redis-sentinel: sudo apt-get install redis-sentinel");
    }

    /**
     * Starts the three on free ports. A port found free can be taken by another build's server
     * before ours binds it (CI builds modules side by side): a process that exits before the three
     * are ready is started again, all three on new ports, at most {@value #ATTEMPTS} times; a
     * failure says what each one logged.
     */
    static RedisSentinelServers start() throws Exception {
        requireInstalled();
        for (int attempt = 1; ; attempt++) {
            RedisSentinelServers servers = new RedisSentinelServers(Files.createTempDirectory("wschat-sentinel-"),
                    freePort(), freePort(), freePort());
            try {
                servers.launchAll();
                return servers;
            } catch (ExitedEarly e) {
                servers.close();
                if (attempt == ATTEMPTS) {
                    throw new AssertionError(e.getMessage() + "\n" + servers.logs(), e);
                }
            } catch (ConditionTimeoutException e) {
                servers.close();
                throw new AssertionError(e.getMessage() + "\n" + servers.logs(), e);
            } catch (Exception | Error e) {
                servers.close();
                throw e;
            }
        }
    }

    private static final int ATTEMPTS = 3;

    /** A process stopped before the three were ready (most often: its port was taken meanwhile). */
    private static final class ExitedEarly extends RuntimeException {
        ExitedEarly(String message) {
            super(message);
        }
    }

    private void launchAll() throws IOException {
        launch(SERVER, "master", "--port", Integer.toString(masterPort));
        launch(SERVER, "replica", "--port", Integer.toString(replicaPort), "--replicaof", "127.0.0.1",
                Integer.toString(masterPort));
        Path config = dir.resolve("sentinel.conf");
        Files.writeString(config, String.join("\n",
                "port " + sentinelPort,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor wschat 127.0.0.1 " + masterPort + " 1",
                "sentinel down-after-milliseconds wschat 1000",
                // A failover that could not start (no replica fresh enough yet, or the Sentinel in TILT
                // after this machine's clock jumped) is tried again after twice this.
                "sentinel failover-timeout wschat 3000",
                "sentinel parallel-syncs wschat 1", ""));
        processes.add(new ProcessBuilder(SENTINEL.toString(), config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel.log").toFile()).start());
        await("the replica has synced and the Sentinel knows it").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptionsMatching(e -> !(e instanceof ExitedEarly))
                .until(this::ready);
    }

    /** What the master, the replica and the Sentinel logged, for a failure's message. */
    private String logs() {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("master.log", "replica.log", "sentinel.log")) {
            Path log = dir.resolve(name);
            try {
                String text = Files.exists(log) ? Files.readString(log) : "(none)";
                all.append("--- ").append(name).append(" ---\n")
                        .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text).append('\n');
            } catch (IOException e) {
                all.append("--- ").append(name).append(": unreadable: ").append(e).append('\n');
            }
        }
        return all.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private void launch(Path binary, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", Files.createDirectories(dir.resolve(name)).toString()));
        command.addAll(List.of(args));
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start());
    }

    private boolean ready() {
        List<String> names = List.of("master", "replica", "sentinel");
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) {
                throw new ExitedEarly("the " + names.get(i) + " exited before the three were ready");
            }
        }
        try (RedisNode replica = new RedisNode(replicaPort); RedisNode sentinel = new RedisNode(sentinelPort)) {
            return replica.connection.sync().info("replication").contains("master_link_status:up")
                    && sentinel.connection.sync().info("sentinel").contains("slaves=1");
        }
    }

    /** The URI a broker is given: the Sentinel, and the name of the master it watches. */
    String uri() {
        return "redis-sentinel://127.0.0.1:" + sentinelPort + "#wschat";
    }

    /** The port of the master the Sentinel names now. */
    int master() {
        try (RedisNode sentinel = new RedisNode(sentinelPort)) {
            String info = sentinel.connection.sync().info("sentinel");
            int at = info.indexOf("address=127.0.0.1:");
            return Integer.parseInt(info.substring(at + "address=127.0.0.1:".length()).split(",")[0].trim());
        }
    }

    /** Kills the master (SIGKILL): the Sentinel promotes the replica once it finds the master down. */
    void killMaster() throws InterruptedException {
        processes.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        RedisNode.stop(processes);
    }

}
