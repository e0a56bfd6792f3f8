package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.wschat.broker.redis.RedisServer;
import io.github.wschat.tck.HandshakeRefusedException;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * People on devices across three demo jars on one real Redis, identified by JWTs a test signs as a
 * backend would (--jwt-secret): alice on nodes 1 and 3 is one member; node 3 SIGKILLed leaves no leave;
 * her last device's close, one. A token the demo does not trust is 401; the connection past
 * --max-connections-per-user is 429.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoDevicesIT {

    private static final String SECRET = "the backend and the chat share this secret (32+ bytes)";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(3);

    static String token(String sub, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(sub)
                .claim("name", sub).expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** The next line that is not a join or the like, skipping those that start with {@code skip}. */
    private static String nextLine(TckClient client, String skip) {
        while (true) {
            String line = client.nextMessage(WAIT);
            if (!line.startsWith(skip)) {
                return line;
            }
        }
    }

    @Test
    void alicesDevicesOnTwoNodesAreOneMemberThroughASigkill() throws Exception {
        JdkWebSocketConnector connector = new JdkWebSocketConnector();
        try (RedisServer redis = RedisServer.start();
                DemoNodes nodes = DemoNodes.start(3, List.of("--transport", "netty", "--history", "0",
                        "--jwt-secret", SECRET, "--max-connections-per-user", "3", "--redis", redis.uri(),
                        "--redis-lease", String.valueOf(LEASE.toSeconds())))) {
            String alice = token("alice", SECRET);
            TckClient bob = connector.connect(URI.create(nodes.urls.get(1) + "?token=" + token("bob", SECRET)), Map.of(),
                    List.of());
            assertEquals(" .... bob has joined.", bob.nextMessage(WAIT));
            TckClient laptop = connector.connect(URI.create(nodes.urls.get(0) + "?token=" + alice), Map.of(), List.of());
            assertEquals(" .... alice has joined.", bob.nextMessage(WAIT));
            TckClient phone = connector.connect(URI.create(nodes.urls.get(2)), Map.of(),
                    List.of("wschat.token." + alice)); // the token as a browser would carry it, in a subprotocol
            phone.send("from my phone");
            assertEquals("alice: from my phone", bob.nextMessage(WAIT), "one join: the phone joined her member");
            assertEquals("alice: from my phone", nextLine(laptop, " .... alice has joined."));

            List<TckClient> more = new ArrayList<>();
            for (int i = 0; i < 2; i++) { // her laptop and two more tabs on node 1: the bound, 3
                more.add(connector.connect(URI.create(nodes.urls.get(0) + "?token=" + alice), Map.of(), List.of()));
            }
            assertEquals(429, assertThrows(HandshakeRefusedException.class, () -> connector.connect(
                    URI.create(nodes.urls.get(0) + "?token=" + alice), Map.of(), List.of())).status(),
                    "a fourth connection of one user on one node, past --max-connections-per-user 3");
            more.forEach(tab -> tab.close(1000, "two tabs fewer"));

            assertEquals(401, assertThrows(HandshakeRefusedException.class, () -> connector.connect(
                    URI.create(nodes.urls.get(1) + "?token=" + token("mallory", "a secret the chat does not share, 32+")),
                    Map.of(), List.of())).status());

            try (RedisClient client = RedisClient.create(redis.uri());
                    StatefulRedisConnection<String, String> look = client.connect()) {
                await().atMost(WAIT).until(() -> "2".equals(look.sync().hget("wschat:{lobby}:counts", "i:alice")));
                nodes.kill(2); // SIGKILL the phone's node
                // Within two leases a survivor reaps the dead node: alice keeps her laptop's device only.
                await().atMost(WAIT).until(() -> "1".equals(look.sync().hget("wschat:{lobby}:counts", "i:alice")));
            }
            bob.send("after the reaping");
            assertEquals("bob: after the reaping", bob.nextMessage(WAIT), "no leave: her laptop is on");
            laptop.send("still here");
            assertEquals("alice: still here", bob.nextMessage(WAIT));
            laptop.close(1000, "closing the laptop");
            assertEquals(" .... alice has left.", bob.nextMessage(WAIT), "her last device's close: one leave");
            bob.send("bye");
            assertEquals("bob: bye", bob.nextMessage(WAIT), "and only one");
        } finally {
            connector.close();
        }
    }
}
