package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Demo jars run as the README runs them, each its own JVM, for the tests that kill one with SIGKILL:
 * started together, then each one's printed WebSocket URL read. Stopped by their PIDs.
 */
final class DemoNodes implements AutoCloseable {

    private static final Pattern WEBSOCKET = Pattern.compile("\\s*websocket: (ws://[^ ?]+/chat)\\S* \\(\\S+\\)");

    final List<Process> processes = new ArrayList<>();
    final List<String> urls = new ArrayList<>();

    /** Starts {@code count} demo jars with the flags given (beside host and ports), and reads their URLs. */
    static DemoNodes start(int count, List<String> flags) throws IOException {
        Path jar = Path.of("target", "chat-demo.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package makes " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        DemoNodes nodes = new DemoNodes();
        try {
            for (int i = 0; i < count; i++) {
                List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(), "--host", "127.0.0.1",
                        "--ws-port", "0", "--http-port", "0"));
                command.addAll(flags);
                nodes.processes.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            for (Process process : nodes.processes) {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String url = null;
                for (String line = out.readLine(); line != null && !line.startsWith("Press Ctrl-C"); line = out.readLine()) {
                    Matcher m = WEBSOCKET.matcher(line);
                    if (m.matches()) {
                        url = m.group(1);
                    }
                }
                assertTrue(url != null, "a node printed its URL");
                nodes.urls.add(url);
            }
            return nodes;
        } catch (IOException | RuntimeException | Error e) {
            nodes.close();
            throw e;
        }
    }

    /** SIGKILL: the node ends without a word to Redis or its clients. */
    void kill(int node) throws InterruptedException {
        processes.get(node).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
