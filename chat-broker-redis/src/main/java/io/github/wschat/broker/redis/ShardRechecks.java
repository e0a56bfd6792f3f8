package io.github.wschat.broker.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of a Redis Cluster's rooms whose master was lost ({@link ShardOutages}), as
 * {@link EpochHandover#recheck} checks every room on one Redis. Where the master that serves a lost
 * slot now is another process than the one this node saw before (a replica promoted, a master
 * restarted — its node id and run id, {@code INFO server}), it may lack events some nodes read and
 * others did not: the nodes first hand over what they read of those rooms
 * ({@link EpochHandover#handOverShard}), so that such an event reaches every node, in the old epoch;
 * then each room is checked for older data ({@link RoomEpochs}). The checks run on this class's checker
 * thread, one at a time with the readers' full passes ({@link ShardReaders}'s lock).
 */
final class ShardRechecks {

    private static final Logger log = LoggerFactory.getLogger(ShardRechecks.class);

    private final EpochHandover epochs;
    private final ConcurrentMap<String, RoomTopic> topics;
    /** Slot to the identity ({@code nodeId/runId}) of the master serving it, for the masters that answer. */
    private final Supplier<Map<Integer, String>> masters;
    /** Slot to the identity of the master that served it when this node last looked. */
    private final Map<Integer, String> servedBy = new ConcurrentHashMap<>();
    /** The last process a handover was announced for: retries (its master not ready yet) are not announced again. */
    private String announced = "";
    private final Thread checker = new Thread(this::run, "wschat-redis-shard-checker");
    private volatile boolean stopped;
    // Set by start: the lock the checks take with the readers' full passes, and what follows a check.
    private Object checking;
    private Runnable startShards;
    private Consumer<List<RoomTopic>> back;

    ShardRechecks(EpochHandover epochs, ConcurrentMap<String, RoomTopic> topics, Supplier<Map<Integer, String>> masters) {
        this.epochs = epochs;
        this.topics = topics;
        this.masters = masters;
    }

    /**
     * Starts the checker thread: while some masters' rooms are lost, it checks them
     * ({@link #recheckLostSlots}, under {@code checking}, then {@code startShards} for a master promoted
     * meanwhile), again every 100 ms until their new master answers, and hands the rooms checked to
     * {@code back} (to be listened to and read again). The readers of the other masters go on meanwhile:
     * they do not read lost rooms. Notes the masters first. Once; later calls do nothing.
     */
    void start(Object checking, Runnable startShards, Consumer<List<RoomTopic>> back) {
        if (checker.getState() != Thread.State.NEW) {
            return;
        }
        this.checking = checking;
        this.startShards = startShards;
        this.back = back;
        noteMasters();
        checker.setDaemon(true);
        checker.start();
    }

    void stop() {
        stopped = true;
        checker.interrupt();
    }

    private void run() {
        while (!stopped) {
            if (epochs.anyLostSlots()) {
                List<RoomTopic> checked = List.of();
                synchronized (checking) {
                    try {
                        checked = recheckLostSlots();
                        startShards.run();
                    } catch (RedisException e) {
                        log.debug("The rooms of a lost Redis master cannot be checked yet: {}", e.toString());
                    }
                }
                back.accept(checked);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(epochs.anyLostSlots() ? 100 : 20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Notes which process serves each slot not lost: what a loss is compared with. At the start and
     * once a lease (a resharding or a planned failover moves slots without losing data).
     */
    void noteMasters() {
        ShardOutages outages = epochs.outages();
        masters.get().forEach((slot, master) -> {
            if (!outages.holdsSlot(slot)) {
                servedBy.put(slot, master);
            }
        });
    }

    /**
     * Checks the rooms of the lost slots: those checked take lines and are read again; those whose
     * master does not answer yet stay lost, to be checked again.
     *
     * @return the rooms checked
     * @throws RedisException if Redis' marker cannot be read, or no master answers for a lost slot yet
     */
    List<RoomTopic> recheckLostSlots() {
        ShardOutages outages = epochs.outages();
        Map<Integer, Long> lost = outages.snapshot();
        List<RoomTopic> inLost = topics.values().stream().filter(t -> lost.containsKey(SlotHash.getSlot(t.key))).toList();
        // Lines this node placed and has not read back: where the connection broke, Redis may have
        // lost them. Where the slot only moved, they are read back as usual (or the room's new epoch
        // unconfirms them, RoomTopic#adopt).
        inLost.stream().filter(t -> outages.droppedSlot(SlotHash.getSlot(t.key))).forEach(RoomTopic::unconfirm);
        boolean everyRoomHandedOver = epochs.recheckMarker();
        Map<Integer, String> now = masters.get();
        Map<String, List<Integer>> changed = new HashMap<>();
        for (int slot : lost.keySet()) {
            String master = now.get(slot);
            if (master == null) {
                throw new RedisException("no master answers for slot " + slot + " yet");
            }
            String before = servedBy.get(slot);
            // Only where the old master was lost with its connection: a planned failover or a
            // resharding (the topology moved the slot, nothing dropped) loses nothing some node read.
            if (before != null && !before.equals(master) && outages.droppedSlot(slot)) {
                changed.computeIfAbsent(master, m -> new ArrayList<>()).add(slot);
            }
        }
        for (Map.Entry<String, List<Integer>> shard : changed.entrySet()) {
            if (!everyRoomHandedOver) {
                Set<Integer> slots = new HashSet<>(shard.getValue());
                List<RoomTopic> rooms = inLost.stream().filter(t -> slots.contains(SlotHash.getSlot(t.key))).toList();
                if (!announced.equals(shard.getKey())) {
                    announced = shard.getKey();
                    log.warn("Redis Cluster: {} slots are served by another process ({}) than before; handing over what "
                            + "this node read of their {} rooms before checking them", slots.size(), shard.getKey(),
                            rooms.size());
                }
                epochs.handOverShard(shard.getKey(), rooms);
            }
        }
        lost.keySet().forEach(slot -> servedBy.put(slot, now.get(slot))); // once handed over: a retry hands over again
        List<RoomTopic> failed = epochs.checkRooms(inLost, true);
        Map<Integer, Long> checked = new HashMap<>(lost);
        failed.forEach(topic -> checked.remove(SlotHash.getSlot(topic.key)));
        outages.checked(checked);
        epochs.lostSlotsChecked();
        List<RoomTopic> back = new ArrayList<>(inLost);
        back.removeAll(failed);
        if (!failed.isEmpty()) {
            log.debug("{} rooms of a lost Redis master are not checked yet (e.g. {})", failed.size(), failed.get(0).room);
        }
        if (!checked.isEmpty()) {
            log.info("Redis Cluster: {} rooms of {} lost slots checked; they take lines again", back.size(), checked.size());
        }
        return back;
    }
}
