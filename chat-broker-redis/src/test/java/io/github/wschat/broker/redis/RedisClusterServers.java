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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of the test's own: three masters and three replicas, six {@code redis-server}
 * processes on free ports of 127.0.0.1 below 55,535 (each node's bus listens on its port + 10,000),
 * joined by {@code redis-cli --cluster create}, with a node timeout of one second so that a killed
 * master's replica takes over in a few, and without requiring full coverage (as SCALING.md advises),
 * so that the other masters serve their slots meanwhile. Stopped by their PIDs. Skipped outside CI where Redis is
 * missing, as {@link RedisServer}.
 */
final class RedisClusterServers implements AutoCloseable {

    private static final Path SERVER = RedisServer.binary();
    private static final Path CLI = Path.of("/usr/bin/redis-cli");

    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;

    private RedisClusterServers(Path dir) {
        this.dir = dir;
    }

    static RedisClusterServers start() throws Exception {
        RedisServer.requireInstalled();
        boolean hasCli = Files.isExecutable(CLI);
        if (!hasCli && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the cluster tests: " + CLI
                    + " is missing; .ci/run installs it with apt-get install redis-tools");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(hasCli, "Redis Cluster tests need redis-cli: sudo apt-get install redis-tools");
        RedisClusterServers cluster = new RedisClusterServers(Files.createTempDirectory("wschat-cluster-"));
        try {
            for (int i = 0; i < 6; i++) {
                cluster.launch(freePort(cluster.ports));
            }
            for (int port : cluster.ports) {
                await("redis-server answers on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                        .ignoreExceptions().until(() -> {
                            try (RedisNode node = new RedisNode(port)) {
                                return "PONG".equals(node.connection.sync().ping());
                            }
                        });
            }
            List<String> create = new ArrayList<>(List.of(CLI.toString(), "--cluster", "create"));
            cluster.ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            Process cli = new ProcessBuilder(create).redirectErrorStream(true)
                    .redirectOutput(cluster.dir.resolve("create.log").toFile()).start();
            if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: "
                        + Files.readString(cluster.dir.resolve("create.log")));
            }
            await("the cluster is ok on every node, each master with its replica").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(cluster::healthy);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** A port below 55,535 that is free, and whose bus port (+10,000) is free too. */
    private static int freePort(List<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 45_000);
            if (!taken.contains(port) && free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IOException("no free port pair for a cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void launch(int port) throws IOException {
        ports.add(port);
        processes.add(process(port));
    }

    /** A node on this port, with its own directory and cluster configuration (kept across restarts), no data saved. */
    private Process process(int port) throws IOException {
        Path node = Files.createDirectories(dir.resolve(Integer.toString(port)));
        return new ProcessBuilder(SERVER.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", node.resolve("nodes.conf").toString(),
                "--cluster-node-timeout", "1000", "--cluster-require-full-coverage", "no", "--dir", node.toString(),
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "local").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.resolve("log").toFile())).start();
    }

    /**
     * Starts the killed node on this port again, as the same cluster node (its configuration file) but
     * empty (no data is saved): a master whose replica is dead takes its slots back without their keys.
     */
    void restart(int port) throws IOException {
        processes.set(ports.indexOf(port), process(port));
        await("the cluster is ok again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    for (int live : livePorts()) {
                        try (RedisNode node = new RedisNode(live)) {
                            if (!node.connection.sync().clusterInfo().contains("cluster_state:ok")) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
    }

    /** The ports of the live masters. */
    List<Integer> masters() {
        List<Integer> masters = new ArrayList<>();
        for (int port : livePorts()) {
            try (RedisNode node = new RedisNode(port)) {
                if (node.connection.sync().info("replication").contains("role:master")) {
                    masters.add(port);
                }
            }
        }
        return masters;
    }

    /** The port of a replica of the master on this port. */
    int replicaOf(int masterPort) {
        try (RedisNode master = new RedisNode(masterPort)) {
            String id = master.connection.sync().clusterMyId();
            for (String line : master.connection.sync().clusterNodes().split("\n")) {
                String[] parts = line.split(" ");
                if (parts.length > 3 && parts[2].contains("slave") && parts[3].equals(id)) {
                    return Integer.parseInt(parts[1].substring(parts[1].indexOf(':') + 1, parts[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("the master on " + masterPort + " has no replica");
    }

    private boolean healthy() {
        int replicasUp = 0;
        for (int i = 0; i < ports.size(); i++) {
            if (!processes.get(i).isAlive()) {
                continue;
            }
            try (RedisNode node = new RedisNode(ports.get(i))) {
                if (!node.connection.sync().clusterInfo().contains("cluster_state:ok")) {
                    return false;
                }
                String replication = node.connection.sync().info("replication");
                if (replication.contains("role:slave") && replication.contains("master_link_status:up")) {
                    replicasUp++;
                }
            }
        }
        return replicasUp == 3;
    }

    /** The live nodes' URIs, separated by commas: the seeds a broker starts from. */
    String uri() {
        return String.join(",", livePorts().stream().map(port -> "redis://127.0.0.1:" + port).toList());
    }

    /** The port of the master that holds the key's slot now. */
    int masterOf(String key) {
        for (int port : livePorts()) {
            try (RedisNode node = new RedisNode(port)) {
                long slot = node.connection.sync().clusterKeyslot(key);
                for (String line : node.connection.sync().clusterNodes().split("\n")) {
                    String[] parts = line.split(" ");
                    if (!parts[2].contains("master") || parts[2].contains("fail")) {
                        continue;
                    }
                    for (int i = 8; i < parts.length; i++) {
                        String[] range = parts[i].split("-");
                        long from = Long.parseLong(range[0].trim());
                        long to = range.length > 1 ? Long.parseLong(range[1].trim()) : from;
                        if (slot >= from && slot <= to) {
                            return Integer.parseInt(parts[1].substring(parts[1].indexOf(':') + 1, parts[1].indexOf('@')));
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no master holds " + key);
    }

    private List<Integer> livePorts() {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            if (processes.get(i).isAlive()) {
                live.add(ports.get(i));
            }
        }
        return live;
    }

    /** Kills the node on this port (SIGKILL): its replica takes over once the others mark it failed. */
    void kill(int port) throws InterruptedException {
        processes.get(ports.indexOf(port)).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        RedisNode.stop(processes);
    }

}
