package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.server.TlsContexts;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.SelfSignedKeystore;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's two servers, in process, on free ports. */
class DemoTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();
    private Demo demo;

    @BeforeEach
    void start() throws Exception {
        demo = Demo.start("127.0.0.1", 0, 0);
    }

    @AfterEach
    void stop() {
        demo.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + demo.pageAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageCarriesTheWebSocketPortAndItsScriptBuildsTheUrlFromItsOwnLocation() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(page.body().contains(
                "<meta name=\"wschat-port\" content=\"" + demo.webSocketAddress().getPort() + "\">"), page.body());
        assertTrue(page.body().contains("id=\"chat-echo-area\""));
        assertTrue(page.body().contains("id=\"chat-input\""));

        HttpResponse<String> script = get("/chat.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("location.hostname"));
        assertTrue(script.body().contains("textContent"));
        assertFalse(script.body().contains("innerHTML"), "lines are rendered as text, never as HTML");
        assertFalse(script.body().contains("localhost"), "no hard-coded host");
        assertEquals(200, get("/chat.css").statusCode());
    }

    @Test
    void unknownPagesAre404AndOtherMethods405() throws Exception {
        assertEquals(404, get("/nope").statusCode());
        URI uri = URI.create("http://127.0.0.1:" + demo.pageAddress().getPort() + "/");
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void browsersOnSlashAndChatShareTheSeedsRoom() throws Exception {
        JdkWebSocketConnector connector = new JdkWebSocketConnector();
        int port = demo.webSocketAddress().getPort();
        TckClient seedPage = connector.connect(URI.create("ws://127.0.0.1:" + port + "/"), Map.of(), List.of());
        TckClient demoPage = connector.connect(URI.create("ws://127.0.0.1:" + port + "/chat"), Map.of(), List.of());
        await().atMost(WAIT).until(() -> demo.chat().memberCount() == 2);
        seedPage.send("<img src=x onerror=alert(1)>");
        String line = ChatLines.nextSaid(demoPage, WAIT);
        assertTrue(line.matches("user-\\d+: <img src=x onerror=alert\\(1\\)>"), line);
        assertEquals(line, ChatLines.nextSaid(seedPage, WAIT));
    }

    @Test
    void byDefaultTheChatAcceptsBrowsersFromItsOwnPageOnly() throws Exception {
        JdkWebSocketConnector connector = new JdkWebSocketConnector();
        URI chat = URI.create("ws://127.0.0.1:" + demo.webSocketAddress().getPort() + "/chat");
        int pagePort = demo.pageAddress().getPort();
        HandshakeRefusedException hijack = assertThrows(HandshakeRefusedException.class,
                () -> connector.connect(chat, Map.of("Origin", "http://evil.example:" + pagePort), List.of()));
        assertEquals(403, hijack.status());
        assertEquals(403, assertThrows(HandshakeRefusedException.class,
                () -> connector.connect(chat, Map.of("Origin", "http://localhost:1"), List.of())).status());
        connector.connect(chat, Map.of("Origin", "http://localhost:" + pagePort), List.of());
        connector.connect(chat, Map.of("Origin", "http://127.0.0.1:" + pagePort), List.of());
        connector.connect(chat, Map.of(), List.of()); // not a browser: no Origin to check
        await().atMost(WAIT).until(() -> demo.chat().memberCount() == 3);
    }

    @Test
    void withASharedTokenOnlyItsBearersJoin() throws Exception {
        try (Demo guarded = Demo.start(ChatServer.builder().transport("java-websocket").host("127.0.0.1").port(0)
                        .authenticator(new SharedTokenAuthenticator("s3cret token")),
                "127.0.0.1", 0, Optional.empty(), Optional.empty())) {
            JdkWebSocketConnector connector = new JdkWebSocketConnector();
            String base = "ws://127.0.0.1:" + guarded.webSocketAddress().getPort() + "/chat";
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(URI.create(base), Map.of(), List.of())).status());
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(URI.create(base + "?token=s3cret"), Map.of(), List.of())).status());
            TckClient member = connector.connect(URI.create(base + "?token=s3cret+token"), Map.of(), List.of());
            await().atMost(WAIT).until(() -> guarded.chat().memberCount() == 1);
            member.send("in");
            assertTrue(ChatLines.nextSaid(member, WAIT).matches("user-\\d+: in"));
        }
    }

    @Test
    void withAKeystoreThePageIsHttpsAndTheChatWss(@TempDir Path dir) throws Exception {
        SelfSignedKeystore keystore = SelfSignedKeystore.generate(dir);
        SSLContext server = TlsContexts.fromPkcs12(keystore.file(), keystore.password().toCharArray());
        try (Demo secure = Demo.start(ChatServer.builder().transport("java-websocket").host("127.0.0.1").port(0), "127.0.0.1", 0,
                Optional.of(server), Optional.empty())) {
            SSLContext trust = keystore.trustingClientContext();
            HttpClient https = HttpClient.newBuilder().sslContext(trust).build();
            URI pageUri = URI.create("https://localhost:" + secure.pageAddress().getPort() + "/");
            HttpResponse<String> page = https.send(HttpRequest.newBuilder(pageUri).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<meta name=\"wschat-scheme\" content=\"wss\">"), page.body());
            TckClient member = new JdkWebSocketConnector(trust).connect(
                    URI.create("wss://localhost:" + secure.webSocketAddress().getPort() + "/chat"),
                    Map.of("Origin", "https://localhost:" + secure.pageAddress().getPort()), List.of());
            await().atMost(WAIT).until(() -> secure.chat().memberCount() == 1);
            member.send("secret");
            assertTrue(ChatLines.nextSaid(member, WAIT).matches("user-\\d+: secret"));
        }
    }
}
