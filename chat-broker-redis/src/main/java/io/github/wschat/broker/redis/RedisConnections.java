package io.github.wschat.broker.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The broker's connections: to one Redis (or the master a Sentinel names) or to a Redis Cluster,
 * told apart by asking the first seed ({@code INFO cluster}: {@code cluster_enabled:1}). On a cluster,
 * Lettuce's cluster client follows the topology: MOVED and ASK redirections, a failover, a
 * resharding (adaptive refresh on those events, and a periodic refresh every 10 s). The writer's
 * connection carries every command; the reader has its own (a blocking XREAD on one Redis; the shards'
 * reads and the rooms' wakes on a cluster).
 */
abstract class RedisConnections {

    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    /** At most this often a cluster's topology is read again on an event (a failed reconnect, MOVED, ASK). */
    private static final Duration ADAPTIVE_REFRESH_EVERY = Duration.ofSeconds(1);
    /** How often a cluster's topology is refreshed besides the refreshes its events trigger. */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

    final AbstractRedisClient client;

    private RedisConnections(AbstractRedisClient client) {
        this.client = client;
    }

    /** The connection every command but the reader's goes on. */
    abstract RedisLink writer();

    /** Makes the reader, on its own connections. */
    abstract RoomReader reader(RoomKeys keys, ConcurrentMap<String, RoomTopic> topics, EpochHandover epochs,
            Duration block, Duration commandTimeout, Duration fullPass, Consumer<Boolean> availability);

    /** Whether the connections are up. */
    abstract boolean isOpen();

    /** Whether this is a Redis Cluster. */
    abstract boolean cluster();

    /**
     * The slots the node at this address serves as a master, by the topology as this client last read
     * it: empty for a replica; none (empty optional) on one Redis, or for an address it does not know.
     */
    Optional<List<Integer>> slotsServedBy(SocketAddress address) {
        return Optional.empty();
    }

    /**
     * Tells {@code moved} the slots a Redis Cluster's topology gives another master each time Lettuce
     * reads it again (a failover, a resharding); nothing on one Redis.
     */
    void onMovedSlots(Consumer<List<Integer>> moved) {
    }

    /** The run id in an {@code INFO server} answer: another one is another process. */
    static String runId(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return "";
    }

    /** Closes the connections (the client is shut down by the broker). */
    abstract void close();

    /**
     * Connects to the Redis the URI names: several seeds of a cluster may be given, separated by
     * commas, each a whole URI ({@code redis://10.0.0.1:7000,redis://10.0.0.2:7000}).
     */
    static RedisConnections open(String uris, ClientResources resources, Duration commandTimeout,
            RedisConnectionStateListener drops) {
        List<RedisURI> seeds = seeds(uris);
        if (isCluster(seeds, resources)) {
            RedisClusterClient client = RedisClusterClient.create(resources, seeds);
            client.addListener(drops); // before any connection: it learns where each one goes
            return new Cluster(client, commandTimeout);
        }
        if (seeds.size() > 1) {
            throw new IllegalArgumentException("several URIs name the seeds of a Redis Cluster, and " + seeds.get(0)
                    + " is not one (cluster_enabled:0)");
        }
        RedisClient client = RedisClient.create(resources, seeds.get(0));
        client.addListener(drops);
        return new Single(client, commandTimeout);
    }

    static List<RedisURI> seeds(String uris) {
        List<RedisURI> seeds = new ArrayList<>();
        // Seeds are whole URIs after a comma; a Sentinel URI keeps its own commas (s1:26379,s2:26379).
        for (String uri : uris.split(",(?=\\s*rediss?://)")) {
            if (!uri.isBlank()) {
                seeds.add(RedisURI.create(uri.trim()));
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no Redis URI: " + uris);
        }
        return seeds;
    }

    /** Asks the first seed that answers whether it is a node of a Redis Cluster; a Sentinel URI never is. */
    private static boolean isCluster(List<RedisURI> seeds, ClientResources resources) {
        if (seeds.get(0).getSentinelMasterId() != null) {
            return false;
        }
        RedisException last = null;
        for (RedisURI seed : seeds) {
            RedisClient probe = RedisClient.create(resources, seed);
            try (StatefulRedisConnection<String, String> connection = probe.connect()) {
                return connection.sync().info("cluster").contains("cluster_enabled:1");
            } catch (RedisException e) {
                last = e;
            } finally {
                probe.shutdown(Duration.ZERO, Duration.ZERO);
            }
        }
        throw last;
    }

    private static ClientOptions.DisconnectedBehavior rejecting() {
        return ClientOptions.DisconnectedBehavior.REJECT_COMMANDS;
    }

    /** One Redis, or the master a Sentinel names. */
    private static final class Single extends RedisConnections {

        private final StatefulRedisConnection<String, String> writer;
        private StatefulRedisConnection<String, String> reader;

        Single(RedisClient client, Duration commandTimeout) {
            super(client);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(rejecting())
                    .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                    .build());
            this.writer = client.connect();
        }

        @Override
        RedisLink writer() {
            return RedisLink.of(writer);
        }

        @Override
        RoomReader reader(RoomKeys keys, ConcurrentMap<String, RoomTopic> topics, EpochHandover epochs, Duration block,
                Duration commandTimeout, Duration fullPass, Consumer<Boolean> availability) {
            reader = ((RedisClient) client).connect();
            return new StreamReader(reader, writer, topics, epochs, block, fullPass, availability);
        }

        @Override
        boolean isOpen() {
            return writer.isOpen() && reader != null && reader.isOpen();
        }

        @Override
        boolean cluster() {
            return false;
        }

        @Override
        void close() {
            writer.close();
            if (reader != null) {
                reader.close();
            }
        }
    }

    /** A Redis Cluster. */
    private static final class Cluster extends RedisConnections {

        private final StatefulRedisClusterConnection<String, String> writer;
        private final ClusterTopology topology;
        private StatefulRedisClusterConnection<String, String> reads;
        private StatefulRedisClusterPubSubConnection<String, String> wakes;
        private Disposable topologyChanges;

        Cluster(RedisClusterClient client, Duration commandTimeout) {
            super(client);
            client.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(rejecting())
                    .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .enableAllAdaptiveRefreshTriggers()
                            // Lettuce's default waits 30 s between two adaptive refreshes: the first,
                            // on the dead master's failed reconnects, comes before its replica is
                            // promoted, and the rooms would wait for the periodic refresh.
                            .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_EVERY)
                            .build())
                    .build());
            this.writer = connectToEveryNode(client);
            this.topology = new ClusterTopology(writer);
        }

        /**
         * A cluster connection, already connected to every node: Lettuce connects to a node on the
         * first command for it, and a connection that rejects commands while disconnected would reject
         * that one.
         */
        private static StatefulRedisClusterConnection<String, String> connectToEveryNode(RedisClusterClient client) {
            StatefulRedisClusterConnection<String, String> connection = client.connect();
            connectEach(connection.getPartitions(), connection::getConnection);
            return connection;
        }

        /** Connects to each node; a failed one is connected to when it comes back. */
        private static void connectEach(Iterable<RedisClusterNode> nodes, BiConsumer<String, Integer> connect) {
            for (RedisClusterNode node : nodes) {
                try {
                    connect.accept(node.getUri().getHost(), node.getUri().getPort());
                } catch (RedisException e) {
                    // not up now
                }
            }
        }

        @Override
        RedisLink writer() {
            return RedisLink.of(writer);
        }

        @Override
        void onMovedSlots(Consumer<List<Integer>> moved) {
            topologyChanges = client.getResources().eventBus().get()
                    .filter(ClusterTopologyChangedEvent.class::isInstance)
                    .map(ClusterTopologyChangedEvent.class::cast)
                    .subscribe(change -> {
                        List<Integer> slots = ClusterTopology.movedSlots(change.before(), change.after());
                        if (!slots.isEmpty()) {
                            log.info("Redis Cluster: the topology gives {} slots another master; their rooms are checked",
                                    slots.size());
                            moved.accept(slots);
                        }
                    });
        }

        @Override
        Optional<List<Integer>> slotsServedBy(SocketAddress address) {
            return topology.slotsServedBy(address);
        }

        @Override
        RoomReader reader(RoomKeys keys, ConcurrentMap<String, RoomTopic> topics, EpochHandover epochs, Duration block,
                Duration commandTimeout, Duration fullPass, Consumer<Boolean> availability) {
            RedisClusterClient cluster = (RedisClusterClient) client;
            reads = connectToEveryNode(cluster);
            wakes = cluster.connectPubSub();
            connectEach(wakes.getPartitions(), wakes::getConnection);
            return new ShardReaders(reads, wakes, keys, topics, epochs, topology::masterIdentities,
                    commandTimeout, fullPass, availability);
        }

        @Override
        boolean isOpen() {
            return writer.isOpen() && reads != null && reads.isOpen() && wakes.isOpen();
        }

        @Override
        boolean cluster() {
            return true;
        }

        @Override
        void close() {
            if (topologyChanges != null) {
                topologyChanges.dispose();
            }
            writer.close();
            if (reads != null) {
                reads.close();
                wakes.close();
            }
        }
    }
}
