package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
        String line = demoPage.nextMessage(WAIT);
        assertTrue(line.matches("user-\\d+: <img src=x onerror=alert\\(1\\)>"), line);
        assertEquals(line, seedPage.nextMessage(WAIT));
    }
}
