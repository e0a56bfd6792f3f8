package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The in-memory transport runs a whole chat server without a socket, as users' unit tests would. */
class ChatServerInMemoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void theSeedsChatRunsInMemory() throws Exception {
        InMemoryTransport transport = new InMemoryTransport();
        try (ChatServer chat = ChatServer.builder().transport(transport).port(0)
                .historySize(0).announceJoins(false).start()) {
            InMemoryServer server = transport.lastStarted();
            InMemoryClient ann = server.connect("/");
            InMemoryClient bob = server.connect("/chat");
            // Connecting returns before the server has run the open handlers that make members.
            await().atMost(WAIT).until(() -> chat.memberCount() == 2);
            ann.send("hi bob");
            String line = bob.nextMessage(WAIT);
            assertTrue(line.matches("user-\\d+: hi bob"), line);
            assertEquals(line, ann.nextMessage(WAIT));
            String annNick = line.substring(0, line.indexOf(':'));
            ann.close(1000, "");
            assertEquals(" .... " + annNick + " has left.", bob.nextMessage(WAIT));
        }
    }
}
