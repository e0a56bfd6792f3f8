package io.github.wschat.broker.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears every connection of the broker's client drop, and tells the epochs: on one Redis (or a
 * Sentinel's master) any drop has every room checked before it takes lines again; on a Redis Cluster
 * a drop of a master's connection has only that master's rooms (its slots) checked, and a replica's
 * none, so that one shard failing over does not stop the rooms of the others. A connection closed on
 * purpose (a cluster's topology refresh opens and closes its own) is no drop. Called on Lettuce's
 * threads; thread-safe.
 */
final class DropListener implements RedisConnectionStateListener {

    private static final Logger log = LoggerFactory.getLogger(DropListener.class);

    /** Where each connection was last connected to. */
    private final Map<RedisChannelHandler<?, ?>, SocketAddress> peers = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile RedisConnections connections;
    private volatile EpochHandover epochs;

    /**
     * From now on, tells these epochs. Registered on the client before its first connection (so that it
     * knows where every connection goes), it tells no one until the broker is built: a drop before then
     * concerns no room yet.
     */
    void tell(RedisConnections connections, EpochHandover epochs) {
        this.connections = connections;
        this.epochs = epochs;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        peers.put(connection, address);
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (connection.isClosed()) {
            peers.remove(connection);
            return;
        }
        EpochHandover epochs = this.epochs;
        if (epochs == null) {
            return;
        }
        SocketAddress peer = peers.get(connection);
        Optional<List<Integer>> slots = peer == null ? Optional.empty() : connections.slotsServedBy(peer);
        if (slots.isEmpty()) {
            epochs.dropped();
        } else if (!slots.get().isEmpty()) {
            log.warn("Redis Cluster: a connection to the master at {} dropped; the rooms of its {} slots refuse lines "
                    + "until they are checked", peer, slots.get().size());
            epochs.lostSlots(slots.get());
        }
    }
}
