package io.github.wschat.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transports;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo has two transports on its class path: one is chosen by name, never silently. */
class TransportChoiceTest {

    @Test
    void bothTransportsAreFoundByServiceLoader() {
        assertEquals(List.of("java-websocket", "netty"),
                Transports.available().stream().map(t -> t.name()).sorted().toList());
    }

    @Test
    void withSeveralTransportsNonePickedIsAnErrorThatNamesThem() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> ChatServer.builder().host("127.0.0.1").port(0).start());
        assertTrue(error.getMessage().contains("java-websocket") && error.getMessage().contains("netty"),
                error.getMessage());
    }

    @Test
    void anUnknownNameIsAnErrorThatNamesTheCandidates() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ChatServer.builder().transport("jetty").host("127.0.0.1").port(0).start());
        assertTrue(error.getMessage().contains("'jetty'") && error.getMessage().contains("netty"), error.getMessage());
    }

    @Test
    void aTransportPickedByNameIsTheOneThatRuns() throws Exception {
        for (String name : List.of("java-websocket", "netty")) {
            try (ChatServer server = ChatServer.builder().transport(name).host("127.0.0.1").port(0).start()) {
                assertEquals(name, server.transportName());
            }
        }
    }
}
