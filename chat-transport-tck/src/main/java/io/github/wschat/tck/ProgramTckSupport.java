package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wschat.CloseCodes;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.app.JoinVerdict;
import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the kits of the application's program share: a chat server on the transport under test, members
 * over real sockets, and an authenticator of tokens that name users with roles. Subclass
 * {@link ProgrammableChatTck} and {@link ModerationTck}, not this.
 */
public abstract class ProgramTckSupport {

    /**
     * The transport under test; a new instance or a shared one.
     *
     * @return the transport
     */
    protected abstract Transport transport();

    static final Duration WAIT = Duration.ofSeconds(30);
    final JdkWebSocketConnector connector = new JdkWebSocketConnector();
    final ObjectMapper json = new ObjectMapper();

    ChatServer.Builder chat() {
        return ChatServer.builder().transport(transport()).host("127.0.0.1").port(0).historySize(0)
                .announceJoins(false).rateLimit(1_000_000, 1_000_000);
    }

    static URI uri(ChatServer server, String target) {
        return URI.create("ws://127.0.0.1:" + server.address().getPort() + target);
    }

    TckClient member(ChatServer server, String target, String... subprotocols) throws HandshakeRefusedException {
        int before = server.memberCount();
        TckClient client = connector.connect(uri(server, target), Map.of(), List.of(subprotocols));
        await().atMost(WAIT).until(() -> server.memberCount() > before);
        return client;
    }

    /**
     * Tokens that name users with roles: {@code ?token=op-ann} is ann, an operator; {@code ?token=bob} is
     * bob, called bob unless the query asks for another nickname ({@code &nick=bob2}, a second connection).
     */
    static Authentication byToken(io.github.wschat.Handshake handshake) {
        boolean named = handshake.queryParameter("nick").isPresent();
        return handshake.queryParameter("token").map(token -> token.startsWith("op-")
                ? Authentication.acceptAs(token.substring(3), Identity.of("id-" + token.substring(3), "operator"))
                : named ? Authentication.accept(Identity.of("id-" + token))
                : Authentication.acceptAs(token, Identity.of("id-" + token)))
                .orElse(Authentication.refuse(401, "a token is required"));
    }
}
