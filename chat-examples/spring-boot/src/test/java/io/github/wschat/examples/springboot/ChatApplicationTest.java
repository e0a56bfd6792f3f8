package io.github.wschat.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The example over real sockets: Boot's Tomcat on a free port, the page and the chat on it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "wschat.allowed-origins=https://chat.example")
class ChatApplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    ChatServer chat;

    private final JdkWebSocketConnector clients = new JdkWebSocketConnector();

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private TckClient connect(String target, Map<String, String> headers) throws HandshakeRefusedException {
        return clients.connect(URI.create("ws://127.0.0.1:" + port + target), headers, List.of());
    }

    private static String nextLine(TckClient client, String expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String line;
        do {
            line = client.nextMessage(WAIT);
        } while (!line.equals(expected) && System.nanoTime() < deadline);
        return line;
    }

    @Test
    void twoClientsChatThroughTheMountedTransport() throws Exception {
        TckClient ann = connect("/chat/boot?nick=ann", Map.of());
        TckClient bob = connect("/chat/boot?nick=bob", Map.of());
        ann.send("hello from Spring Boot");
        assertEquals("ann: hello from Spring Boot", nextLine(bob, "ann: hello from Spring Boot"));
        assertEquals("ann: hello from Spring Boot", nextLine(ann, "ann: hello from Spring Boot"));
        bob.close(CloseCodes.NORMAL, "");
        assertEquals(" .... bob has left.", nextLine(ann, " .... bob has left."));
        assertEquals("jakarta", chat.transportName());
    }

    @Test
    void admissionKeepsItsStatusesInsideTomcat() throws Exception {
        assertEquals(403, assertThrows(HandshakeRefusedException.class,
                () -> connect("/chat", Map.of("Origin", "https://evil.example"))).status(), "a foreign origin");
        connect("/chat?nick=dora", Map.of("Origin", "https://chat.example")).send("the allowed origin");
        assertEquals(400, assertThrows(HandshakeRefusedException.class,
                () -> connect("/chat/not%20a%20room", Map.of())).status(), "a bad room name");
    }

    @Test
    void thePageIsServedBesideTheChat() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("chat-echo-area"), page.body());
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(426, plain.statusCode(), "a plain request at the chat's path");
    }
}
