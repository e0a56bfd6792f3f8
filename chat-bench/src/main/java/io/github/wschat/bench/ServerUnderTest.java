package io.github.wschat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A chat server in a process of its own, for {@code compare}: the project's demo jar, its Spring Boot
 * example, or the hand-written baseline from this jar. Started with the same JVM and heap; stopped by PID.
 */
final class ServerUnderTest implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;

    private ServerUnderTest(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** The name of the server that is the Spring Boot example: the Jakarta transport in Boot's Tomcat. */
    static final String SPRING_BOOT = "jakarta-tomcat";
    /** The demo on Jetty: the chat mounted in an embedded Jetty 12 through the Jakarta transport. */
    static final String JETTY = "jakarta-jetty";
    /** The Spring Boot example with the chat on Netty, on a port of its own ({@code wschat.transport=netty}). */
    static final String SPRING_BOOT_NETTY = "boot-netty";
    /** After {@value #SPRING_BOOT}: the Jakarta transport with the container batching messages. */
    static final String BATCHING = "+batching";

    /**
     * The project's server on one of its transports: the demo jar with limits opened up for load
     * (rate, connections), no join lines; for {@value #SPRING_BOOT}, the Spring Boot example with the
     * same settings, and for {@value #SPRING_BOOT_NETTY} with the chat on Netty on a port of its own.
     */
    static ServerUnderTest wschat(Path demoJar, Path exampleJar, String heap, String transport) throws IOException {
        return wschat(demoJar, exampleJar, heap, transport, 0, List.of(), List.of());
    }

    /**
     * As {@link #wschat(Path, Path, String, String)}, keeping {@code history} lines per room, with more
     * arguments for the demo ({@code demoExtra}) or the Spring Boot example ({@code bootExtra}).
     */
    static ServerUnderTest wschat(Path demoJar, Path exampleJar, String heap, String transport, int history,
            List<String> demoExtra, List<String> bootExtra) throws IOException {
        // jakarta-tomcat+batching: the Spring Boot example with the container batching (wschat.batching).
        boolean batching = transport.endsWith(BATCHING);
        String base = batching ? transport.substring(0, transport.length() - BATCHING.length()) : transport;
        if (base.equals(SPRING_BOOT) || base.equals(SPRING_BOOT_NETTY)) {
            requireJar(exampleJar);
            int port = freePort();
            List<String> args = new ArrayList<>(List.of("-jar", exampleJar.toString(),
                    "--server.address=127.0.0.1", "--server.port=" + port,
                    "--server.tomcat.max-connections=100000", "--server.tomcat.accept-count=10000",
                    "--wschat.rate.per-second=1000000", "--wschat.rate.burst=1000000",
                    "--wschat.max-connections=100000", "--wschat.max-connections-per-address=100000",
                    "--wschat.max-queued-bytes=16777216", "--wschat.announce-joins=false",
                    "--wschat.history=" + history, "--wschat.ping-interval=0"));
            args.addAll(bootExtra);
            if (batching) {
                args.add("--wschat.batching=true");
            }
            if (base.equals(SPRING_BOOT_NETTY)) {
                port = freePort();
                args.addAll(List.of("--wschat.transport=netty", "--wschat.address=127.0.0.1", "--wschat.port=" + port));
            }
            return start("wschat/" + transport, port, "Started ChatApplication", args, heap);
        }
        String name = "wschat/" + transport;
        List<String> extra = new ArrayList<>();
        if (base.equals(JETTY)) {
            // jakarta-jetty(+batching): the demo mounted in an embedded Jetty through the Jakarta transport.
            extra.addAll(batching ? List.of("--batching") : List.of());
            extra.addAll(demoExtra);
            return demo(demoJar, heap, "jetty", history, extra, name);
        }
        int at = transport.indexOf('@');
        if (at >= 0) {
            // netty@500, netty-epoll@250: on Netty with that flush linger, in microseconds.
            extra.addAll(List.of("--flush-linger", transport.substring(at + 1)));
            transport = transport.substring(0, at);
        }
        if (transport.startsWith("netty-")) {
            // netty-io_uring, netty-epoll, netty-nio: the demo on Netty over that I/O.
            extra.addAll(List.of("--netty-io", transport.substring("netty-".length())));
            transport = "netty";
        }
        extra.addAll(demoExtra);
        return demo(demoJar, heap, transport, history, extra, name);
    }

    /** The demo jar on a transport, with limits opened up for load, as a node of the cluster on this Redis. */
    static ServerUnderTest node(Path demoJar, String heap, String transport, String redisUri, String name)
            throws IOException {
        return demo(demoJar, heap, transport, List.of("--redis", redisUri), name);
    }

    private static ServerUnderTest demo(Path jar, String heap, String transport, List<String> extra, String name)
            throws IOException {
        return demo(jar, heap, transport, 0, extra, name);
    }

    /** The demo jar on a transport, with limits opened up for load, keeping {@code history} lines per room. */
    static ServerUnderTest demo(Path jar, String heap, String transport, int history, List<String> extra, String name)
            throws IOException {
        requireJar(jar);
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("-jar", jar.toString(),
                "--transport", transport, "--ws-port", Integer.toString(port),
                "--rate-per-second", "1000000", "--rate-burst", "1000000",
                "--max-connections", "100000", "--max-connections-per-address", "100000",
                "--max-outbound-bytes", "16777216", "--no-announce-joins", "--history", Integer.toString(history),
                "--ping-interval", "0"));
        if (!extra.contains("--http-port")) {
            // The page on any free port, unless a run names one (to call its API, say).
            args.addAll(List.of("--http-port", "0"));
        }
        args.addAll(extra);
        return start(name, port, "ready", args, heap);
    }

    private static void requireJar(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: run ./mvnw -B -q package -DskipTests first");
        }
    }

    /** The baseline: the seed's chat by hand on Java-WebSocket, from this very jar. */
    static ServerUnderTest baseline(String heap) throws IOException {
        return baseline("baseline", BaselineChatServer.class, heap);
    }

    /** The hand-written Netty chat ({@link BaselineNettyChatServer}), named {@value #NETTY_BASELINE}. */
    static ServerUnderTest nettyBaseline(String heap) throws IOException {
        return baseline(NETTY_BASELINE, BaselineNettyChatServer.class, heap);
    }

    /** The name of the hand-written Netty chat among the servers. */
    static final String NETTY_BASELINE = "baseline-netty";

    private static ServerUnderTest baseline(String name, Class<?> main, String heap) throws IOException {
        int port = freePort();
        // This JVM's class path: the bench jar when run as one, the module's classes in its tests.
        return start(name, port, "baseline ready", List.of("-cp", System.getProperty("java.class.path"),
                main.getName(), Integer.toString(port)), heap);
    }

    private static ServerUnderTest start(String name, int port, String readyLine, List<String> args, String heap)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.contains(readyLine)) {
                            return line;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
            if (ready == null) {
                throw new IOException(name + " exited before it was ready");
            }
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException(name + " did not start: " + e.getMessage(), e);
        }
        // Keep reading its output so that a full pipe never stalls it.
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discarded
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, name + "-output");
        drain.setDaemon(true);
        drain.start();
        return new ServerUnderTest(name, process, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
