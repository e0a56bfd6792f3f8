package io.github.wschat.broker.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Redis Cluster's topology, as the client last read it, says about masters and slots: which
 * slots a connection's peer serves (for {@link DropListener}), which process serves each slot now (for
 * {@link ShardRechecks}), and which slots a new topology gives another master. Thread-safe: it reads
 * the client's partitions, which Lettuce replaces whole.
 */
final class ClusterTopology {

    private final StatefulRedisClusterConnection<String, String> writer;

    ClusterTopology(StatefulRedisClusterConnection<String, String> writer) {
        this.writer = writer;
    }

    /** The slots that had a master before and have another, or none, after. */
    static List<Integer> movedSlots(List<RedisClusterNode> before, List<RedisClusterNode> after) {
        String[] was = mastersBySlot(before);
        String[] now = mastersBySlot(after);
        List<Integer> moved = new ArrayList<>();
        for (int slot = 0; slot < was.length; slot++) {
            if (was[slot] != null && !was[slot].equals(now[slot])) {
                moved.add(slot);
            }
        }
        return moved;
    }

    private static String[] mastersBySlot(List<RedisClusterNode> nodes) {
        String[] bySlot = new String[SlotHash.SLOT_COUNT];
        for (RedisClusterNode node : nodes) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                node.getSlots().forEach(slot -> bySlot[slot] = node.getNodeId());
            }
        }
        return bySlot;
    }

    /**
     * The slots the node at this address serves as a master, by the topology as the client last read
     * it: empty for a replica; none for an address it does not know.
     */
    Optional<List<Integer>> slotsServedBy(SocketAddress address) {
        if (!(address instanceof InetSocketAddress peer)) {
            return Optional.empty();
        }
        for (RedisClusterNode node : writer.getPartitions()) {
            RedisURI uri = node.getUri();
            if (uri != null && uri.getPort() == peer.getPort() && sameHost(uri.getHost(), peer)) {
                return Optional.of(node.is(RedisClusterNode.NodeFlag.UPSTREAM) ? node.getSlots() : List.of());
            }
        }
        return Optional.empty();
    }

    /**
     * Slot to the identity ({@code nodeId/runId}) of the master that serves it, for each master
     * that answers {@code INFO server} now: another identity for a slot is another process.
     */
    Map<Integer, String> masterIdentities() {
        Map<Integer, String> bySlot = new HashMap<>();
        for (RedisClusterNode node : writer.getPartitions()) {
            if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.getSlots().isEmpty()) {
                continue;
            }
            try {
                String identity = node.getNodeId() + "/" + RedisConnections.runId(writer.getConnection(node.getNodeId()).sync()
                        .info("server"));
                node.getSlots().forEach(slot -> bySlot.put(slot, identity));
            } catch (RedisException e) {
                // not answering now: its slots have no known master
            }
        }
        return bySlot;
    }

    private static boolean sameHost(String host, InetSocketAddress peer) {
        if (host.equalsIgnoreCase(peer.getHostString())) {
            return true;
        }
        try {
            return peer.getAddress() != null && peer.getAddress().equals(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
