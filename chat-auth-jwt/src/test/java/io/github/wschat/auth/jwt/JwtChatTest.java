package io.github.wschat.auth.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.CloseCodes;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A chat server that takes JWTs, over real sockets: the query, the subprotocol, refusals, expiry and refresh. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JwtChatTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final JdkWebSocketConnector connector = new JdkWebSocketConnector();
    private final ObjectMapper json = new ObjectMapper();

    private static ChatServer start() throws Exception {
        return ChatServer.builder().transport("java-websocket").host("127.0.0.1").port(0).historySize(0)
                .authenticator(JwtAuthenticator.builder().hmacSecret(Tokens.SECRET).clockSkew(Duration.ZERO).build())
                .start();
    }

    private static URI uri(ChatServer server, String target) {
        return URI.create("ws://127.0.0.1:" + server.address().getPort() + target);
    }

    private JsonNode next(TckClient client) throws Exception {
        return json.readTree(client.nextMessage(WAIT));
    }

    @Test
    void aTokenInTheQueryOrTheSubprotocolsJoinsAndNoneOrABadOneIs401() throws Exception {
        try (ChatServer server = start()) {
            TckClient ann = connector.connect(uri(server, "/chat?token=" + Tokens.hs256("ann", Duration.ofMinutes(5))),
                    Map.of(), List.of(JsonFormat.SUBPROTOCOL));
            assertEquals("ann", next(ann).get("nick").asText());
            TckClient bob = connector.connect(uri(server, "/chat"), Map.of(), List.of(JsonFormat.SUBPROTOCOL,
                    JwtAuthenticator.SUBPROTOCOL_PREFIX + Tokens.hs256("bob", Duration.ofMinutes(5))));
            assertEquals(JsonFormat.SUBPROTOCOL, bob.subprotocol(), "the format's subprotocol is chosen, not the token");
            assertEquals("bob", next(bob).get("nick").asText());
            assertEquals(401, assertThrows(HandshakeRefusedException.class,
                    () -> connector.connect(uri(server, "/chat"), Map.of(), List.of())).status());
            assertEquals(401, assertThrows(HandshakeRefusedException.class, () -> connector.connect(
                    uri(server, "/chat?token=" + Tokens.hs256("eve", Duration.ofSeconds(-5))), Map.of(), List.of())).status());
        }
    }

    @Test
    void anExpiredTokenClosesItsConnectionWith4401AndARefreshedOneStays() throws Exception {
        try (ChatServer server = start()) {
            TckClient watcher = connector.connect(uri(server, "/chat?token=" + Tokens.hs256("wat", Duration.ofMinutes(5))),
                    Map.of(), List.of(JsonFormat.SUBPROTOCOL));
            next(watcher);
            String shortLived = Tokens.hs256("ann", Duration.ofSeconds(3));
            TckClient stale = connector.connect(uri(server, "/chat?token=" + shortLived), Map.of(), List.of(JsonFormat.SUBPROTOCOL));
            TckClient refreshed = connector.connect(uri(server, "/chat?token=" + shortLived), Map.of(),
                    List.of(JsonFormat.SUBPROTOCOL));
            next(stale);
            next(refreshed);
            refreshed.send("{\"type\":\"refresh\",\"token\":\"" + Tokens.hs256("bob", Duration.ofHours(1)) + "\",\"id\":\"r0\"}");
            JsonNode refused = next(refreshed);
            assertEquals("error", refused.get("type").asText(), refused.toString());
            assertEquals("r0", refused.get("id").asText());
            assertTrue(refused.get("text").asText().contains("another user"), refused.toString());
            refreshed.send("{\"type\":\"refresh\",\"token\":\"" + Tokens.hs256("ann", Duration.ofHours(1)) + "\",\"id\":\"r1\"}");
            JsonNode ack = next(refreshed);
            assertEquals("ack", ack.get("type").asText(), ack.toString());
            assertEquals("r1", ack.get("id").asText());

            assertEquals(CloseCodes.EXPIRED, stale.awaitClose(WAIT).code(), "closed when its token expired");
            // The two devices' first tokens expired at the same moment: once the stale one is closed, the
            // refreshed one's first expiry has passed too.
            refreshed.send("{\"type\":\"say\",\"text\":\"still here\"}");
            JsonNode line;
            do {
                line = next(watcher);
            } while (!"message".equals(line.get("type").asText()));
            assertEquals("still here", line.get("text").asText());
            assertFalse(refreshed.isClosed(), "the refreshed connection stays");
        }
    }
}
