package io.github.wschat.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.CloseCodes;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over real sockets: a client logs in through the form (with its CSRF token) and chats under its
 * user name, with its roles (alice is an operator and may kick; bob is not and may not); a client
 * without a login is refused with 401.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecureChatApplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    /** Logs in through Spring's form, as a browser would, and returns the session's cookie header. */
    private String sessionOf(String user) throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
        String form = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = CSRF.matcher(form);
        assertTrue(csrf.find(), form);
        String body = "username=" + user + "&password=chat&_csrf=" + java.net.URLEncoder.encode(csrf.group(1),
                StandardCharsets.UTF_8);
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, login.statusCode());
        assertTrue(!login.headers().firstValue("Location").orElse("").contains("error"), "logged in as " + user);
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(c -> c.getName() + "=" + c.getValue()).findFirst().orElseThrow();
    }

    @Test
    void aLoggedInClientChatsUnderItsNameWithItsRolesAndOneWithoutALoginIsRefused() throws Exception {
        try (JdkWebSocketConnector clients = new JdkWebSocketConnector()) {
            URI chat = URI.create("ws://127.0.0.1:" + port + "/chat/secure?nick=someone-else");
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> clients.connect(chat, Map.of(), List.of())).status());

            TckClient alice = clients.connect(chat, Map.of("Cookie", sessionOf("alice")), List.of());
            TckClient bob = clients.connect(chat, Map.of("Cookie", sessionOf("bob")), List.of());
            bob.send("who am I?");
            assertEquals("bob: who am I?", alice.nextMessageMatching(line -> line.startsWith("bob: "), WAIT),
                    "the user's name, not the nickname asked for");
            bob.send("/kick alice because");
            bob.nextMessageMatching(line -> line.contains("only operators may"), WAIT); // bob has no operator role
            alice.send("/kick bob spam");
            assertEquals(CloseCodes.REMOVED, bob.awaitClose(WAIT).code(), "alice, an operator, removed bob");
        }
    }
}
