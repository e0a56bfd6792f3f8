package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.CloseCodes;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/** The packaged jar, run as the README runs it: it chats, and SIGTERM closes clients with 1001 and exits 0. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoJarIT {

    private static final Pattern WEBSOCKET = Pattern.compile("\\s*websocket: (ws://\\S+\\?token=jar-token) \\((\\S+)\\)");

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"java-websocket", "netty", "jetty"})
    void theJarChatsAndStopsCleanlyOnSigterm(String transport) throws Exception {
        Path jar = Path.of("target", "chat-demo.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package makes " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "-jar", jar.toString(),
                "--host", "127.0.0.1", "--ws-port", "0", "--http-port", "0",
                "--auth-token", "jar-token", "--ping-interval", "5", "--max-message-bytes", "1024",
                "--rate-per-second", "10", "--rate-burst", "20", "--max-outbound-bytes", "65536",
                "--max-connections", "50", "--max-connections-per-address", "10", "--max-rooms", "5",
                "--handshake-timeout", "3", "--transport", transport,
                "--allowed-origins", "http://localhost:8080")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            for (String line = out.readLine(); line != null && url == null; line = out.readLine()) {
                Matcher m = WEBSOCKET.matcher(line);
                if (m.matches()) {
                    url = m.group(1);
                    assertEquals(transport, m.group(2));
                }
            }
            assertTrue(url != null, "the demo printed its WebSocket URL");
            TckClient client = new JdkWebSocketConnector().connect(URI.create(url), Map.of(), List.of());
            client.send("hello");
            assertTrue(ChatLines.nextSaid(client, Duration.ofSeconds(10)).matches("user-\\d+: hello"));

            demo.destroy(); // SIGTERM
            assertEquals(CloseCodes.GOING_AWAY, client.awaitClose(Duration.ofSeconds(20)).code());
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo exits");
            assertEquals(0, demo.exitValue());
        } finally {
            demo.destroyForcibly();
        }
    }
}
