package io.github.wschat.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.CloseCodes;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The same application with the chat on Netty, on a port of its own: the user logs in on the
 * application's port, gets a one-time ticket there ({@code GET /chat}, behind the same security
 * filters), and chats on the chat's port under its name and with its roles; no ticket, a used ticket,
 * or a ticket asked for without a login is refused with 401.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"wschat.transport=netty", "wschat.port=0", "wschat.address=127.0.0.1"})
class SecureChatOnOwnPortTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Value("${local.wschat.port}")
    int chatPort;

    /** The ticket office's answer for this session cookie (none: no login). */
    private HttpResponse<String> office(String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI withTicket(String cookie, String room) throws Exception {
        HttpResponse<String> answer = office(cookie);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode where = new ObjectMapper().readTree(answer.body());
        assertEquals("ws://127.0.0.1:" + chatPort + "/chat", where.path("url").asText());
        return URI.create(where.path("url").asText() + "/" + room + "?nick=someone-else&ticket=" + where.path("ticket").asText());
    }

    @Test
    void aUserLoggedInOnTheApplicationsPortChatsOnTheChatsPortUnderItsName() throws Exception {
        try (JdkWebSocketConnector clients = new JdkWebSocketConnector()) {
            HttpResponse<String> noLogin = office(null);
            assertEquals(401, noLogin.statusCode(), noLogin.body());
            assertTrue(noLogin.body().contains("anonymous chat is not allowed"), noLogin.body());
            URI noTicket = URI.create("ws://127.0.0.1:" + chatPort + "/chat/secure?nick=someone-else");
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> clients.connect(noTicket, Map.of(), List.of())).status());

            TckClient alice = clients.connect(withTicket(Logins.sessionOf(port, "alice"), "secure"), Map.of(), List.of());
            URI bobs = withTicket(Logins.sessionOf(port, "bob"), "secure");
            TckClient bob = clients.connect(bobs, Map.of(), List.of());
            bob.send("who am I?");
            assertEquals("bob: who am I?", alice.nextMessageMatching(line -> line.startsWith("bob: "), WAIT),
                    "the user's name, not the nickname asked for");
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> clients.connect(bobs, Map.of(), List.of())).status(), "a ticket is good once");
            bob.send("/kick alice because");
            bob.nextMessageMatching(line -> line.contains("only operators may"), WAIT);
            alice.send("/kick bob spam");
            assertEquals(CloseCodes.REMOVED, bob.awaitClose(WAIT).code(), "alice, an operator, removed bob");
        }
    }
}
