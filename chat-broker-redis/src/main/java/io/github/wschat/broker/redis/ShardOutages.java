package io.github.wschat.broker.redis;

import io.lettuce.core.cluster.SlotHash;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The slots of a Redis Cluster whose rooms are not checked since a connection to their master
 * dropped (or a read of them failed) — the master may have failed over to a replica that lacks the
 * last events — or since the cluster's topology moved them to another master. Only these rooms refuse
 * lines and stop being read until they are checked; the rooms of the other masters go on. Always empty
 * on one Redis, where a drop stops every room ({@link EpochHandover#unhandledDrop}). Thread-safe.
 */
final class ShardOutages {

    /** Slot to the loss that last marked it. */
    private final ConcurrentMap<Integer, Long> lost = new ConcurrentHashMap<>();
    /** The lost slots whose master's connection dropped: their rooms may need a handover. */
    private final Set<Integer> dropped = ConcurrentHashMap.newKeySet();
    private long losses; // guarded by this

    /** A connection to these slots' master dropped: their rooms are to be checked again. */
    synchronized void lost(Collection<Integer> slots) {
        long loss = ++losses;
        for (int slot : slots) {
            lost.put(slot, loss);
            dropped.add(slot);
        }
    }

    /**
     * The cluster's topology names another master for these slots (a failover, also one forced while
     * the old master lived, or a resharding): their rooms are to be checked again.
     */
    synchronized void moved(Collection<Integer> slots) {
        long loss = ++losses;
        for (int slot : slots) {
            lost.put(slot, loss);
        }
    }

    /** The slots of these rooms, each once. */
    static List<Integer> slotsOf(Collection<RoomTopic> rooms) {
        return rooms.stream().map(topic -> SlotHash.getSlot(topic.key)).distinct().toList();
    }

    /** Whether the room of this key (its slot) is to be checked. */
    boolean holds(String key) {
        return !lost.isEmpty() && lost.containsKey(SlotHash.getSlot(key));
    }

    /** Whether this slot's rooms are to be checked. */
    boolean holdsSlot(int slot) {
        return lost.containsKey(slot);
    }

    /** Whether this lost slot was lost with its master's connection (not only moved). */
    boolean droppedSlot(int slot) {
        return dropped.contains(slot);
    }

    boolean any() {
        return !lost.isEmpty();
    }

    /** The slots to be checked now, each with its loss: pass it to {@link #checked} once their rooms are. */
    Map<Integer, Long> snapshot() {
        return Map.copyOf(lost);
    }

    /** The rooms of these slots are checked: unless lost again meanwhile, they are read and take lines again. */
    synchronized void checked(Map<Integer, Long> snapshot) {
        snapshot.forEach((slot, loss) -> {
            if (lost.remove(slot, loss)) {
                dropped.remove(slot);
            }
        });
    }
}
