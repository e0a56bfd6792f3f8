package io.github.wschat.transport.jakarta;

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
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mount as a web application sees it: a context path, the default patterns, a server attached
 * after the container started, and the container stopping under it.
 */
class JakartaMountTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final JakartaTransport transport = JakartaTransport.create();
    private final JdkWebSocketConnector clients = new JdkWebSocketConnector();
    private Server jetty;
    private String base;

    @BeforeEach
    void startJetty() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> transport.mount(servletContext));
        jetty.setHandler(context);
        // Without a stop timeout Jetty closes its connectors, and every connection with them, before it
        // stops the web application: clients would see 1006.
        jetty.setStopTimeout(5000);
        jetty.start();
        base = "127.0.0.1:" + connector.getLocalPort() + "/app";
    }

    @AfterEach
    void stopJetty() throws Exception {
        clients.close();
        jetty.stop();
    }

    private TckClient connect(String path) throws HandshakeRefusedException {
        return clients.connect(URI.create("ws://" + base + path), Map.of(), List.of());
    }

    @Test
    void roomsLiveBelowTheMountWithinTheContextPath() throws Exception {
        try (ChatServer chat = ChatServer.builder().transport(transport).announceJoins(false).start()) {
            TckClient ann = connect("/chat/kitchen?nick=ann");
            TckClient bob = connect("/chat/kitchen?nick=bob");
            TckClient lobby = connect("/chat?nick=cy");
            ann.send("hello");
            assertEquals("ann: hello", bob.nextMessage(WAIT));
            assertEquals("ann: hello", ann.nextMessage(WAIT));
            lobby.send("anyone?");
            assertEquals("cy: anyone?", lobby.nextMessage(WAIT));
            assertEquals("jakarta", chat.transportName());
            assertEquals(400, assertThrows(HandshakeRefusedException.class, () -> connect("/chat/a/b")).status(),
                    "the server's refusals keep their status");
        }
    }

    @Test
    void withNoServerAttachedAHandshakeIsRefusedWith503() throws Exception {
        assertEquals(503, assertThrows(HandshakeRefusedException.class, () -> connect("/chat")).status());
        ChatServer chat = ChatServer.builder().transport(transport).start();
        chat.close();
        assertEquals(503, assertThrows(HandshakeRefusedException.class, () -> connect("/chat")).status(),
                "after the server closed");
        try (ChatServer again = ChatServer.builder().transport(transport).start()) {
            connect("/chat").send("back");
        }
    }

    @Test
    void oneServerAtATimeAndOneMount() throws Exception {
        try (ChatServer chat = ChatServer.builder().transport(transport).start()) {
            assertThrows(IllegalStateException.class, () -> ChatServer.builder().transport(transport).start());
        }
        assertThrows(IllegalStateException.class,
                () -> ChatServer.builder().transport(JakartaTransport.create()).start(), "not mounted");
    }

    @Test
    void aPlainRequestAtTheMountGets426() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + base + "/chat")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(426, response.statusCode());
        assertEquals("websocket", response.headers().firstValue("Upgrade").orElseThrow());
    }

    @Test
    void whenTheWebApplicationStopsClientsGet1001() throws Exception {
        ChatServer chat = ChatServer.builder().transport(transport).start();
        TckClient ann = connect("/chat?nick=ann");
        ann.send("hi");
        ann.nextMessage(WAIT);
        jetty.stop();
        assertEquals(CloseCodes.GOING_AWAY, ann.awaitClose(WAIT).code());
        assertTrue(chat.memberCount() == 0, "the member left");
        chat.close();
    }
}
