package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every group of the {@link TransportTck} shares: a server of the transport under test, started
 * before each test on 127.0.0.1 and a free port with the kit's options and a {@link RecordingHandler},
 * stopped after it with the event contract checked; the clients; the transport's answers to the kit's
 * questions, from {@link #kit()}.
 */
abstract class KitCases {

    static final Duration WAIT = TransportTck.WAIT;
    static final int MAX_MESSAGE_BYTES = TransportTck.MAX_MESSAGE_BYTES;
    static final long MAX_QUEUED_BYTES = TransportTck.MAX_QUEUED_BYTES;

    RecordingHandler handler;
    TransportServer server;
    TckClientConnector connector;

    /** The kit this group belongs to: the transport author's subclass of {@link TransportTck}. */
    abstract TransportTck kit();

    Transport transport() {
        return kit().transport();
    }

    TckClientConnector connector() {
        return kit().connector();
    }

    boolean usesSockets() {
        return kit().usesSockets();
    }

    Duration pingInterval() {
        return kit().pingInterval();
    }

    Duration handshakeTimeout() {
        return kit().handshakeTimeout();
    }

    boolean refusesOversizeFramesFromTheirHeader() {
        return kit().refusesOversizeFramesFromTheirHeader();
    }

    boolean closeFrameAlwaysFollowsAnUnfinishedMessage() {
        return kit().closeFrameAlwaysFollowsAnUnfinishedMessage();
    }

    TransportOptions options(int port) {
        return TransportOptions.builder()
                .host("127.0.0.1")
                .port(port)
                .pingInterval(pingInterval())
                .handshakeTimeout(handshakeTimeout())
                .closeGracePeriod(Duration.ofSeconds(2))
                .maxMessageBytes(MAX_MESSAGE_BYTES)
                .maxQueuedBytes(MAX_QUEUED_BYTES)
                .build();
    }

    @BeforeEach
    void startServer() throws IOException {
        handler = new RecordingHandler();
        server = transport().start(options(0), handler);
        connector = connector();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        connector.close();
        assertEquals(List.of(), handler.violations(), "event contract broken");
    }

    TckClient connect(String target) throws HandshakeRefusedException {
        return connector.connect(server, target);
    }

    RecordingHandler.Recorded awaitConnection(int index) {
        await().atMost(WAIT).until(() -> handler.connections.size() > index);
        return handler.connections.get(index);
    }

    /**
     * The one connection, of several, that the server has seen close. Connections opened one after
     * another may reach the handler in either order, so tests must not pick them by index.
     */
    RecordingHandler.Recorded awaitTheOneClosed() {
        await().atMost(WAIT).until(() -> handler.connections.stream().anyMatch(r -> r.closed != null));
        List<RecordingHandler.Recorded> closed =
                handler.connections.stream().filter(r -> r.closed != null).toList();
        assertEquals(1, closed.size(), "exactly one connection closed");
        return closed.get(0);
    }

    Socket openRawWebSocket() throws IOException {
        return RawWebSocket.open(server.address().getPort(), "/");
    }
}
