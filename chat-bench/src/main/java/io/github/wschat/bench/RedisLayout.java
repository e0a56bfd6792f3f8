package io.github.wschat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Redis processes of a run: one; a cluster's masters (and replicas); or a master, its replica and
 * a Sentinel. Stopped by their PIDs.
 */
final class RedisLayout implements AutoCloseable {

    /** The name the Sentinel of {@link #sentinel} watches its master by. */
    private static final String SENTINEL_MASTER = "wschat";

    private final List<Scale.RedisProcess> processes;
    private final List<Integer> ports;
    /** The Sentinel's port, or 0. */
    private final int sentinelPort;

    private RedisLayout(List<Scale.RedisProcess> processes, List<Integer> ports) {
        this(processes, ports, 0);
    }

    private RedisLayout(List<Scale.RedisProcess> processes, List<Integer> ports, int sentinelPort) {
        this.processes = processes;
        this.ports = ports;
        this.sentinelPort = sentinelPort;
    }

    static RedisLayout single(Path binary) throws Exception {
        Scale.RedisProcess redis = Scale.RedisProcess.start(binary);
        return new RedisLayout(List.of(redis), List.of(redis.port()));
    }

    /**
     * {@code masters} cluster nodes, each with {@code replicas} replicas, on ports below 55,535 (their
     * bus is +10,000). With replicas, a node is found failed after a second (as in the tests), so that
     * a killed master's replica takes over; the other masters serve their slots meanwhile (no full
     * coverage required, as SCALING.md advises).
     */
    static RedisLayout cluster(Path binary, Path cli, int masters, int replicas) throws Exception {
        List<Scale.RedisProcess> processes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        Path dir = Files.createTempDirectory("chat-bench-cluster-");
        try {
            for (int i = 0; i < masters * (1 + replicas); i++) {
                Scale.RedisProcess node = Scale.RedisProcess.start(binary, "--cluster-enabled", "yes",
                        "--cluster-config-file", dir.resolve("nodes-" + i + ".conf").toString(),
                        "--cluster-node-timeout", replicas > 0 ? "1000" : "15000", "--cluster-require-full-coverage", "no");
                processes.add(node);
                ports.add(node.port());
            }
            List<String> create = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            Process made = new ProcessBuilder(create).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!made.waitFor(60, TimeUnit.SECONDS) || made.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create failed");
            }
            RedisLayout layout = new RedisLayout(processes, ports);
            awaitReady(() -> layout.clusterOk(masters * (1 + replicas)), "the cluster is not ok");
            return layout;
        } catch (Exception e) {
            closeAll(processes);
            throw e;
        }
    }

    /** What the layout waits for, asking Redis. */
    private interface Readiness {
        boolean ready() throws IOException;
    }

    private static void awaitReady(Readiness readiness, String otherwise) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!readiness.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(otherwise + " after 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static void closeAll(List<Scale.RedisProcess> processes) throws InterruptedException {
        for (Scale.RedisProcess process : processes) {
            process.close();
        }
    }

    /** Every node sees the cluster ok, with all its nodes, and every replica has synced. */
    private boolean clusterOk(int nodes) throws IOException {
        for (int port : ports) {
            String info = command(port, "CLUSTER INFO");
            String replication = command(port, "INFO replication");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + nodes + "\r")
                    || (replication.contains("role:slave") && !replication.contains("master_link_status:up"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A master, its replica, and a Sentinel ({@code redis-sentinel}) that finds the master down after a
     * second and promotes the replica.
     */
    static RedisLayout sentinel(Path binary, Path sentinel) throws Exception {
        List<Scale.RedisProcess> processes = new ArrayList<>();
        try {
            Scale.RedisProcess master = Scale.RedisProcess.start(binary);
            processes.add(master);
            processes.add(Scale.RedisProcess.start(binary, "--replicaof", "127.0.0.1", Integer.toString(master.port())));
            Path config = Files.createTempDirectory("chat-bench-sentinel-").resolve("sentinel.conf");
            Files.writeString(config, String.join("\n",
                    "dir " + config.getParent(),
                    "sentinel monitor " + SENTINEL_MASTER + " 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + SENTINEL_MASTER + " 1000",
                    "sentinel failover-timeout " + SENTINEL_MASTER + " 3000",
                    "sentinel parallel-syncs " + SENTINEL_MASTER + " 1", ""));
            Scale.RedisProcess watcher = Scale.RedisProcess.sentinel(sentinel, config);
            processes.add(watcher);
            RedisLayout layout = new RedisLayout(processes, List.of(master.port(), processes.get(1).port()), watcher.port());
            awaitReady(() -> command(processes.get(1).port(), "INFO replication").contains("master_link_status:up")
                    && command(watcher.port(), "INFO sentinel").contains("slaves=1"),
                    "the replica has not synced, or the Sentinel does not know it,");
            return layout;
        } catch (Exception e) {
            closeAll(processes);
            throw e;
        }
    }

    /** The URI the nodes are given: every node of a cluster, the Sentinel, or the one Redis. */
    String uri() {
        if (sentinelPort != 0) {
            return "redis-sentinel://127.0.0.1:" + sentinelPort + "#" + SENTINEL_MASTER;
        }
        return String.join(",", ports.stream().map(port -> "redis://127.0.0.1:" + port).toList());
    }

    /**
     * Kills (SIGKILL) the master that holds {@code room}'s keys (the demo's {@code wschat:{room}:…}),
     * as a crash would; returns the rooms of {@code rooms} whose keys it held.
     */
    List<String> killMasterOf(String room, List<String> rooms) throws IOException, InterruptedException {
        if (sentinelPort != 0) {
            processes.get(0).kill();
            return rooms;
        }
        Map<Integer, List<int[]>> slotsByMaster = new HashMap<>();
        for (String line : command(ports.get(0), "CLUSTER NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !fields[2].contains("master")) {
                continue;
            }
            int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
            List<int[]> ranges = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                if (!fields[i].startsWith("[")) {
                    String[] bounds = fields[i].split("-");
                    ranges.add(new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[bounds.length - 1])});
                }
            }
            slotsByMaster.put(port, ranges);
        }
        int victim = -1;
        for (Map.Entry<Integer, List<int[]>> master : slotsByMaster.entrySet()) {
            if (holds(master.getValue(), slot(room))) {
                victim = master.getKey();
            }
        }
        if (victim < 0) {
            throw new IOException("no master holds room " + room + "'s slot");
        }
        List<String> held = new ArrayList<>();
        for (String r : rooms) {
            if (holds(slotsByMaster.get(victim), slot(r))) {
                held.add(r);
            }
        }
        processes.get(ports.indexOf(victim)).kill();
        return held;
    }

    private int slot(String room) throws IOException {
        String answer = command(ports.get(ports.size() - 1), "CLUSTER KEYSLOT wschat:{" + room + "}:seq");
        return Integer.parseInt(answer.substring(1));
    }

    private static boolean holds(List<int[]> ranges, int slot) {
        return ranges.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
    }

    /** Over every process: bytes sent to clients, XREAD calls, CPU microseconds. */
    long[] figures() throws IOException {
        long[] sum = new long[3];
        for (int i = 0; i < ports.size(); i++) {
            String info = command(ports.get(i), "INFO all");
            sum[0] += field(info, "total_net_output_bytes:");
            String xread = "cmdstat_xread:calls=";
            int at = info.indexOf(xread);
            if (at >= 0) {
                sum[1] += Long.parseLong(info.substring(at + xread.length(), info.indexOf(',', at)));
            }
            long[] cpu = ServerFigures.cpuSplitMicros(processes.get(i).pid());
            sum[2] += cpu[0] + cpu[1];
        }
        return sum;
    }

    private static long field(String info, String name) {
        int at = info.indexOf(name);
        return at < 0 ? 0 : Long.parseLong(info.substring(at + name.length(), info.indexOf('\r', at)).trim());
    }

    /** Sends one inline command and reads its bulk-string answer. */
    private static String command(int port, String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("Redis closed the connection");
                }
                header.append((char) c);
            }
            String head = header.toString().trim();
            if (!head.startsWith("$")) {
                return head;
            }
            return new String(in.readNBytes(Integer.parseInt(head.substring(1))), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closeAll(processes);
    }
}
