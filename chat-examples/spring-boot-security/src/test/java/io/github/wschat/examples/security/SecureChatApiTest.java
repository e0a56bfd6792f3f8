package io.github.wschat.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The server HTTP API and the admin console in a Spring Security application, over real HTTP: an
 * operator (alice) calls the API as herself — her writes with the CSRF token the console page carries
 * — and gets the console; a user without the role (bob) gets neither; a backend calls with its key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecureChatApiTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern META = Pattern.compile("<meta name=\"(wschat-[a-z-]+)\" content=\"([^\"]*)\">");

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anOperatorCallsAsHerselfWithTheConsolesCsrfTokenAndOthersDoNot() throws Exception {
        String alice = Logins.sessionOf(port, "alice");
        String bob = Logins.sessionOf(port, "bob");
        try (JdkWebSocketConnector clients = new JdkWebSocketConnector()) {
            TckClient member = clients.connect(URI.create("ws://127.0.0.1:" + port + "/chat/ops"),
                    Map.of("Cookie", bob), List.of());
            member.send("hi");
            member.nextMessageMatching(line -> line.equals("bob: hi"), WAIT);

            HttpResponse<String> page = get("/wschat-api/console", alice);
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            Map<String, String> meta = new java.util.HashMap<>();
            Matcher m = META.matcher(page.body());
            while (m.find()) {
                meta.put(m.group(1), m.group(2));
            }
            assertEquals("session", meta.get("wschat-auth"), page.body());
            assertEquals("/wschat-api", meta.get("wschat-api"));
            assertEquals(200, get("/wschat-api/admin.js", alice).statusCode());

            assertEquals(403, get("/wschat-api/console", bob).statusCode(), "bob has no operator role");
            assertEquals(401, get("/wschat-api/rooms", bob).statusCode(), "nor may he call the API");
            HttpResponse<String> anonymous = get("/wschat-api/console", null);
            assertEquals(302, anonymous.statusCode(), "to the login form");

            HttpResponse<String> rooms = get("/wschat-api/rooms", alice);
            assertEquals(200, rooms.statusCode(), rooms.body());
            assertTrue(rooms.body().contains("\"ops\""), rooms.body());

            String notice = "{\"text\":\"from alice\"}";
            assertEquals(403, post("/wschat-api/rooms/ops/notices", notice, Map.of("Cookie", alice)).statusCode(),
                    "a session's write without the CSRF token: Spring Security refuses it");
            HttpResponse<String> posted = post("/wschat-api/rooms/ops/notices", notice, Map.of("Cookie", alice,
                    meta.get("wschat-csrf-header"), meta.get("wschat-csrf-token")));
            assertEquals(201, posted.statusCode(), posted.body());
            member.nextMessageMatching(line -> line.equals(" *** from alice"), WAIT);

            HttpResponse<String> byKey = post("/wschat-api/rooms/ops/notices", "{\"text\":\"from the backend\"}",
                    Map.of("Authorization", "Bearer change-me-0123456789"));
            assertEquals(201, byKey.statusCode(), byKey.body());
            member.nextMessageMatching(line -> line.equals(" *** from the backend"), WAIT);
            assertEquals(401, post("/wschat-api/rooms/ops/notices", notice,
                    Map.of("Cookie", alice, "Authorization", "Bearer wrong-key-0123456789")).statusCode(),
                    "a request with a key is the key's, whatever session comes with it");
        }
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
