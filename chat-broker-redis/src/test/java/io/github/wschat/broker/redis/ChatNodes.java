package io.github.wschat.broker.redis;

import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Chat servers on one real {@code redis-server}, for the cluster tests: each node a Netty server on
 * 127.0.0.1 with its own {@link RedisBroker}, and a WebSocket client to connect to any of them.
 */
final class ChatNodes implements AutoCloseable {

    final RedisServer redis;
    final List<RedisBroker> brokers = new ArrayList<>();
    final List<ChatServer> nodes = new ArrayList<>();
    private final JdkWebSocketConnector clients = new JdkWebSocketConnector();

    private ChatNodes(RedisServer redis) {
        this.redis = redis;
    }

    /**
     * Starts Redis and {@code count} nodes with the lease given, each built from the chat's settings
     * for the cluster tests (no join notices, no rate limit to speak of) as {@code configure} changes them.
     */
    static ChatNodes start(int count, Duration lease, UnaryOperator<ChatServer.Builder> configure) throws Exception {
        return start(count, lease, configure, UnaryOperator.identity());
    }

    /** As above, with each broker's settings as {@code brokers} changes them. */
    static ChatNodes start(int count, Duration lease, UnaryOperator<ChatServer.Builder> configure,
            UnaryOperator<RedisBroker.Builder> brokerSettings) throws Exception {
        RedisServer redis = RedisServer.start();
        return start(redis, redis.uri(), count, lease, configure, brokerSettings);
    }

    /** Nodes on a Redis the test started otherwise (a cluster): its URI; closing them leaves it running. */
    static ChatNodes on(String uri, int count, Duration lease, UnaryOperator<ChatServer.Builder> configure)
            throws Exception {
        return start(null, uri, count, lease, configure, UnaryOperator.identity());
    }

    private static ChatNodes start(RedisServer redis, String uri, int count, Duration lease,
            UnaryOperator<ChatServer.Builder> configure, UnaryOperator<RedisBroker.Builder> brokerSettings)
            throws Exception {
        ChatNodes cluster = new ChatNodes(redis);
        try {
            for (int i = 0; i < count; i++) {
                RedisBroker broker = brokerSettings.apply(RedisBroker.builder(uri).lease(lease)).build();
                cluster.brokers.add(broker);
                cluster.nodes.add(configure.apply(ChatServer.builder().transport("netty").host("127.0.0.1").port(0)
                        .broker(broker).announceJoins(false).rateLimit(10_000, 10_000)).start());
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    TckClient connect(int node, String target) throws Exception {
        return connect(node, target, List.of());
    }

    /** A client of node {@code node} offering these subprotocols ({@code wschat.v1.json} for JSON). */
    TckClient connect(int node, String target, List<String> subprotocols) throws Exception {
        return clients.connect(URI.create("ws://127.0.0.1:" + nodes.get(node).address().getPort() + target),
                Map.of(), subprotocols);
    }

    @Override
    public void close() throws Exception {
        clients.close();
        nodes.forEach(ChatServer::close);
        brokers.forEach(RedisBroker::close);
        if (redis != null) {
            redis.close();
        }
    }
}
