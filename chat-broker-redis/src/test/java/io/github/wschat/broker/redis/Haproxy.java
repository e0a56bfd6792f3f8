package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real HAProxy (Debian's {@code haproxy}) in front of chat nodes, routing by room: the configuration
 * of docs/SCALING.md, on a free port of 127.0.0.1. Stopped by its PID. Where {@code haproxy} is missing
 * the test is skipped with how to install it, except under CI ({@code CI=true}), where that fails.
 */
final class Haproxy implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/haproxy");

    final int port;
    private final Process process;

    private Haproxy(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** The configuration of docs/SCALING.md, for nodes on these ports of 127.0.0.1. */
    static String configuration(int port, List<Integer> nodes) {
        StringBuilder config = new StringBuilder(String.join("\n",
                "global",
                "    maxconn 8000", // each connection takes two descriptors: raise it with the limit of open files
                "defaults",
                "    mode http",
                "    timeout connect 2s",
                "    timeout client 60s",
                "    timeout server 60s",
                "    timeout tunnel 1h",
                "    retries 2",
                "    option redispatch",
                "frontend chat",
                "    bind 127.0.0.1:" + port,
                "    default_backend nodes",
                "backend nodes",
                "    balance uri",
                "    hash-type consistent",
                ""));
        for (int i = 0; i < nodes.size(); i++) {
            config.append("    server node").append(i).append(" 127.0.0.1:").append(nodes.get(i))
                    .append(" check inter 200 fall 1 rise 2\n");
        }
        return config.toString();
    }

    static Haproxy start(List<Integer> nodes) throws IOException {
        boolean installed = Files.isExecutable(BINARY);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the routing tests: " + BINARY
                    + " is missing; .ci/run installs it with apt-get install haproxy");
        }
        Assumptions.assumeTrue(installed, "routing tests need HAProxy: sudo apt-get install haproxy");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("wschat-haproxy-");
        Path config = Files.writeString(dir.resolve("haproxy.cfg"), configuration(port, nodes));
        Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Haproxy haproxy = new Haproxy(port, process);
        await("HAProxy listens on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
                    }
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                        return true;
                    }
                });
        return haproxy;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
