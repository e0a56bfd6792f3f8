package io.github.wschat.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The example as shipped, people copy it: browsers may open the chat from its own pages only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApplicationOriginTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    private final JdkWebSocketConnector clients = new JdkWebSocketConnector();

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private TckClient connect(String origin) throws HandshakeRefusedException {
        return clients.connect(URI.create("ws://127.0.0.1:" + port + "/chat?nick=ann"), Map.of("Origin", origin),
                List.of());
    }

    @Test
    void byDefaultOnlyTheApplicationsOwnOriginMayConnect() throws Exception {
        assertEquals(403, assertThrows(HandshakeRefusedException.class,
                () -> connect("https://evil.example")).status(), "another site");
        assertEquals(403, assertThrows(HandshakeRefusedException.class,
                () -> connect("http://127.0.0.1:" + (port == 1 ? 2 : port - 1))).status(), "another port");
        TckClient own = connect("http://127.0.0.1:" + port);
        own.send("from the page it serves");
        String line;
        do {
            line = own.nextMessage(WAIT); // the join notice may come first
        } while (line.startsWith(" .... "));
        assertEquals("ann: from the page it serves", line);
    }
}
