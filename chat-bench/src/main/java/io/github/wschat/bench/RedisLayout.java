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
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Redis processes of a run: one, or the masters of a cluster. Stopped by their PIDs. */
final class RedisLayout implements AutoCloseable {

    private final List<Scale.RedisProcess> processes;
    private final List<Integer> ports;

    private RedisLayout(List<Scale.RedisProcess> processes, List<Integer> ports) {
        this.processes = processes;
        this.ports = ports;
    }

    static RedisLayout single(Path binary) throws Exception {
        Scale.RedisProcess redis = Scale.RedisProcess.start(binary);
        return new RedisLayout(List.of(redis), List.of(redis.port()));
    }

    /** {@code masters} cluster nodes without replicas, on ports below 55,535 (their bus is +10,000). */
    static RedisLayout cluster(Path binary, Path cli, int masters) throws Exception {
        List<Scale.RedisProcess> processes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        Path dir = Files.createTempDirectory("chat-bench-cluster-");
        try {
            for (int i = 0; i < masters; i++) {
                Scale.RedisProcess node = Scale.RedisProcess.start(binary, "--cluster-enabled", "yes",
                        "--cluster-config-file", dir.resolve("nodes-" + i + ".conf").toString());
                processes.add(node);
                ports.add(node.port());
            }
            List<String> create = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process made = new ProcessBuilder(create).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!made.waitFor(60, TimeUnit.SECONDS) || made.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create failed");
            }
            RedisLayout layout = new RedisLayout(processes, ports);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!layout.clusterOk()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the cluster is not ok after 60 s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return layout;
        } catch (Exception e) {
            for (Scale.RedisProcess process : processes) {
                process.close();
            }
            throw e;
        }
    }

    private boolean clusterOk() throws IOException {
        for (int port : ports) {
            if (!command(port, "CLUSTER INFO").contains("cluster_state:ok")) {
                return false;
            }
        }
        return true;
    }

    String uri() {
        return String.join(",", ports.stream().map(port -> "redis://127.0.0.1:" + port).toList());
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
        for (Scale.RedisProcess process : processes) {
            process.close();
        }
    }
}
