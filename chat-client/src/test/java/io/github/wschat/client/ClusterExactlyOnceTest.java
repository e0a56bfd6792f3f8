package io.github.wschat.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.broker.redis.RedisBroker;
import io.github.wschat.broker.redis.RedisServer;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.CuttingProxy;
import io.github.wschat.transport.javawebsocket.JavaWebSocketTransport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes on one real redis-server, clients that switch nodes as a proxy in front of each node cuts their
 * connections: every line exactly once, in one order, at its acknowledged place — also when Redis is
 * killed and restarts empty mid-run.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterExactlyOnceTest {

    private RedisServer redis;
    private final List<RedisBroker> brokers = new ArrayList<>();
    private final List<ChatServer> nodes = new ArrayList<>();
    private final List<CuttingProxy> proxies = new ArrayList<>();
    private final List<ExactlyOnce.Member> members = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        members.forEach(m -> m.client.close());
        for (CuttingProxy proxy : proxies) {
            proxy.close();
        }
        nodes.forEach(ChatServer::close);
        brokers.forEach(RedisBroker::close);
        if (redis != null) {
            redis.close();
        }
    }

    private void start(int count) throws Exception {
        redis = RedisServer.start();
        for (int i = 0; i < count; i++) {
            RedisBroker broker = RedisBroker.builder(redis.uri()).lease(Duration.ofSeconds(2)).build();
            brokers.add(broker);
            ChatServer node = ChatServer.builder().transport(new JavaWebSocketTransport()).host("127.0.0.1").port(0)
                    .broker(broker).rateLimit(100_000, 100_000).historySize(10_000).start();
            nodes.add(node);
            proxies.add(new CuttingProxy(new InetSocketAddress("127.0.0.1", node.address().getPort()), i));
        }
    }

    private int cuts() {
        return proxies.stream().mapToInt(CuttingProxy::cuts).sum();
    }

    /** Every node's proxy, starting at a different one for each client. */
    private List<URI> uris(int first) {
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < proxies.size(); i++) {
            uris.add(proxies.get((first + i) % proxies.size()).through("/chat/cluster"));
        }
        return uris;
    }

    @Test
    void tenClientsOnThreeNodesSwitchingNodesAsTheirConnectionsAreCutSeeEveryLineOnce() throws Exception {
        start(3);
        for (int c = 0; c < 10; c++) {
            members.add(ExactlyOnce.join("c" + c, uris(c), 600));
        }
        proxies.forEach(proxy -> proxy.cutEvery(300, 1_000));
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (ExactlyOnce.Member member : members) {
            // Between two batches of a client at least one connection is cut (somewhere): however fast
            // the machine, the lines go out while connections break.
            sending.add(ExactlyOnce.sendUntil(member, 25, 500, 500, () -> true, Duration.ofSeconds(150), () -> {
                int before = cuts();
                await().atMost(Duration.ofSeconds(10)).until(() -> cuts() > before);
            }));
        }
        for (CompletableFuture<Void> each : sending) {
            each.get(200, TimeUnit.SECONDS);
        }
        // The cuts were while the lines went out; now let every member catch up.
        proxies.forEach(CuttingProxy::stopCutting);
        Map<String, Ack> acks = ExactlyOnce.acks(members, Duration.ofSeconds(60));
        assertEquals(5_000, acks.size(), "every line sent");
        for (ExactlyOnce.Member member : members) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ExactlyOnce.sawAll(member, acks));
        }
        ExactlyOnce.verify(members, acks);
        assertTrue(cuts() >= 20, "connections were cut while the lines went out: " + cuts());
        assertTrue(members.stream().allMatch(m -> m.events.stream().filter(ChatEvent.Connected.class::isInstance).count() > 1),
                "every client reconnected");
    }

    @Test
    void withRedisKilledAndRestartedEmptyMidRunEachLineIsPlacedOnceAndAcknowledged() throws Exception {
        start(1);
        for (int c = 0; c < 3; c++) {
            members.add(ExactlyOnce.join("c" + c, uris(0), 400));
        }
        AtomicBoolean killed = new AtomicBoolean();
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        for (ExactlyOnce.Member member : members) {
            sending.add(ExactlyOnce.sendUntil(member, 10, 300, 300, () -> true, Duration.ofSeconds(150)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> members.get(0).sent.size() >= 100);
        redis.kill();
        killed.set(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> members.stream().anyMatch(m -> m.events.stream()
                .anyMatch(e -> e instanceof ChatEvent.Status s && !s.available())));
        redis.restart();
        for (CompletableFuture<Void> each : sending) {
            each.get(200, TimeUnit.SECONDS);
        }
        Map<String, Ack> acks = ExactlyOnce.acks(members, Duration.ofSeconds(60));
        assertEquals(900, acks.size(), "every line acknowledged: none failed, none lost");
        for (ExactlyOnce.Member member : members) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ExactlyOnce.sawAll(member, acks));
        }
        // Each member saw each line once, at its acknowledged place, in one order — across the epochs.
        ExactlyOnce.verify(members, acks);
        Map<String, Long> epochs = new HashMap<>();
        acks.values().forEach(ack -> epochs.merge(ack.epoch(), 1L, Long::sum));
        assertEquals(2, epochs.size(), "lines before and after Redis lost its data: " + epochs);
        assertTrue(killed.get());
    }
}
