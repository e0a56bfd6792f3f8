package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.broker.redis.RedisServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three demo jars on one real Redis (the README's three nodes): one room, one order, one history; one
 * node killed with SIGKILL has its members announced as left, once, and their nicknames freed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoClusterIT {

    private static final Pattern WEBSOCKET = Pattern.compile("\\s*websocket: (ws://\\S+/chat) \\(netty\\)");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Shorter than the default ten seconds: the test waits out two of them for a dead node's members. */
    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void threeNodesOnOneRedisChatAsOneRoom() throws Exception {
        Path jar = Path.of("target", "chat-demo.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package makes " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> nodes = new ArrayList<>();
        JdkWebSocketConnector connector = new JdkWebSocketConnector();
        try (RedisServer redis = RedisServer.start()) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add(new ProcessBuilder(java, "-jar", jar.toString(), "--host", "127.0.0.1", "--ws-port", "0",
                        "--http-port", "0", "--transport", "netty", "--no-announce-joins", "--redis", redis.uri(),
                        "--redis-lease", String.valueOf(LEASE.toSeconds()))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            // Started together, then read: each JVM starts while the others do.
            for (int i = 0; i < 3; i++) {
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(nodes.get(i).getInputStream(), StandardCharsets.UTF_8));
                String url = null;
                boolean cluster = false;
                for (String line = out.readLine(); line != null && !line.startsWith("Press Ctrl-C"); line = out.readLine()) {
                    Matcher m = WEBSOCKET.matcher(line);
                    if (m.matches()) {
                        url = m.group(1);
                    }
                    cluster |= line.contains("cluster:   a node on Redis (redis://127.0.0.1:");
                }
                assertTrue(url != null && cluster, "node " + i + " printed its URL and its Redis");
                urls.add(url);
            }
            List<TckClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(connector.connect(URI.create(urls.get(i) + "?nick=n" + i), Map.of(), List.of()));
            }
            // Each client's own first line comes back through Redis: then every node reads the room.
            for (int i = 0; i < 3; i++) {
                clients.get(i).send("ready");
                while (!clients.get(i).nextMessage(WAIT).equals("n" + i + ": ready")) {
                    // lines of the others, before this one
                }
            }
            for (int line = 0; line < 5; line++) {
                for (int i = 0; i < 3; i++) {
                    clients.get(i).send("line " + line);
                }
            }
            List<List<String>> seen = new ArrayList<>();
            for (TckClient client : clients) {
                List<String> lines = new ArrayList<>();
                while (lines.size() < 15) {
                    String next = client.nextMessage(WAIT);
                    if (next.contains(": line ")) {
                        lines.add(next);
                    }
                }
                seen.add(lines);
            }
            assertEquals(seen.get(0), seen.get(1), "nodes 0 and 1, one order");
            assertEquals(seen.get(0), seen.get(2), "nodes 0 and 2, one order");
            TckClient late = connector.connect(URI.create(urls.get(2) + "?nick=late"), Map.of(), List.of());
            List<String> history = new ArrayList<>();
            while (history.size() < 15) {
                String next = late.nextMessage(WAIT);
                if (next.contains(": line ")) {
                    history.add(next);
                }
            }
            assertEquals(seen.get(0), history, "a joiner on any node gets the room's history");

            // SIGKILL node 2: within two leases a survivor announces its members' leaves, once.
            long killed = System.nanoTime();
            nodes.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (int i = 0; i < 2; i++) {
                List<String> leaves = new ArrayList<>();
                while (leaves.size() < 2) {
                    String next = clients.get(i).nextMessage(Duration.ofSeconds(30));
                    if (next.endsWith(" has left.")) {
                        leaves.add(next);
                    }
                }
                assertEquals(List.of(" .... late has left.", " .... n2 has left."), leaves.stream().sorted().toList());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            assertTrue(took.compareTo(LEASE.multipliedBy(2).plusSeconds(3)) < 0, "announced within two leases: " + took);
            TckClient again = connector.connect(URI.create(urls.get(0) + "?nick=n2"), Map.of(), List.of());
            again.send("back");
            String next;
            do {
                next = clients.get(1).nextMessage(WAIT);
                assertTrue(!next.endsWith(" has left."), "a second leave: " + next);
            } while (!next.startsWith("n2: "));
            assertEquals("n2: back", next, "the dead node's nickname is free again, and no second leave came first");
        } finally {
            connector.close();
            for (Process node : nodes) {
                node.destroy();
                node.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
