package io.github.wschat.boot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.CloseCodes;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code wschat.transport=netty}: the chat on a port of its own beside the application's Tomcat, with
 * the same properties and listener beans, below {@code wschat.path}; the application's port tells
 * pages where it is ({@code GET} at that path); {@code same-origin} admits the application's own pages; a stop says 1001.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StarterOwnPortTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @SuppressWarnings("unchecked")
    void theChatRunsOnNettyOnItsOwnPortWithTheApplicationsBeans() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatApplication.class).properties(
                "server.address=127.0.0.1", "server.port=0", "wschat.transport=netty", "wschat.port=0",
                "wschat.address=127.0.0.1", "wschat.path=/support/chat", "wschat.history=1", "wschat.announce-joins=false").run();
        try (JdkWebSocketConnector connector = new JdkWebSocketConnector()) {
            ChatServer chat = context.getBean(ChatServer.class);
            assertEquals("netty", chat.transportName());
            String appPort = context.getEnvironment().getProperty("local.server.port");
            String chatPort = context.getEnvironment().getProperty("local.wschat.port");
            assertEquals(Integer.toString(chat.address().getPort()), chatPort);
            assertNotEquals(appPort, chatPort);

            HttpResponse<String> where = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + appPort + "/support/chat")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, where.statusCode(), where.body());
            assertEquals("no-store", where.headers().firstValue("Cache-Control").orElse(""));
            JsonNode office = new ObjectMapper().readTree(where.body());
            assertEquals("ws://127.0.0.1:" + chatPort + "/support/chat", office.path("url").asText(), where.body());
            assertFalse(office.path("ticket").asText().isEmpty(), where.body());

            URI lobby = URI.create(office.path("url").asText() + "?nick=ann");
            TckClient ann = connector.connect(lobby, Map.of("Origin", "http://127.0.0.1:" + appPort), List.of());
            ann.send("one");
            ann.send("two");
            assertEquals("ann: one", ann.nextMessage(WAIT));
            assertEquals("ann: two", ann.nextMessage(WAIT));
            TckClient bob = connector.connect(URI.create("ws://127.0.0.1:" + chatPort + "/support/chat/lobby?nick=bob"),
                    Map.of(), List.of());
            assertEquals("ann: two", bob.nextMessage(WAIT), "wschat.history=1: one line of history");
            bob.send("hi");
            assertEquals("bob: hi", ann.nextMessage(WAIT));

            List<String> heard = context.getBean("heard", List.class);
            await().atMost(WAIT).until(() -> heard.size() == 6);
            assertEquals(List.of("first: one", "second: one", "first: two", "second: two", "first: hi", "second: hi"), heard);

            assertEquals(403, assertThrows(HandshakeRefusedException.class, () -> connector.connect(
                    URI.create("ws://127.0.0.1:" + chatPort + "/support/chat?nick=eve"), Map.of("Origin", "http://evil.example"),
                    List.of())).status(), "same-origin on the chat's port: a page of this host, not another's");

            assertEquals(404, assertThrows(HandshakeRefusedException.class, () -> connector.connect(
                    URI.create("ws://127.0.0.1:" + chatPort + "/chat?nick=eve"), Map.of(), List.of())).status(),
                    "wschat.path=/support/chat: no rooms at /chat");

            context.close();
            assertEquals(CloseCodes.GOING_AWAY, ann.awaitClose(WAIT).code());
            assertEquals(CloseCodes.GOING_AWAY, bob.awaitClose(WAIT).code());
        } finally {
            context.close();
        }
    }
}
