package io.github.wschat.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wschat.CloseCodes;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    @LocalServerPort
    int port;

    @Test
    void aLoggedInClientChatsUnderItsNameWithItsRolesAndOneWithoutALoginIsRefused() throws Exception {
        try (JdkWebSocketConnector clients = new JdkWebSocketConnector()) {
            URI chat = URI.create("ws://127.0.0.1:" + port + "/chat/secure?nick=someone-else");
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> clients.connect(chat, Map.of(), List.of())).status());

            TckClient alice = clients.connect(chat, Map.of("Cookie", Logins.sessionOf(port, "alice")), List.of());
            TckClient bob = clients.connect(chat, Map.of("Cookie", Logins.sessionOf(port, "bob")), List.of());
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
