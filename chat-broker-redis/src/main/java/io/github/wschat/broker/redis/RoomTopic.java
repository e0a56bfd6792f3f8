package io.github.wschat.broker.redis;

import io.github.wschat.broker.Broker.Listener;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscribed room: its listeners and the id of the last entry delivered. Deliveries and new
 * subscriptions take its lock, so that a backlog meets the live events without gap or duplicate.
 */
final class RoomTopic {

    private static final Logger log = LoggerFactory.getLogger(RoomTopic.class);

    /** At most how many of the newest events each room keeps for a handover. */
    static final int RECENT_MAX = 256;

    final String room;
    final String key;
    final List<Listener> listeners = new CopyOnWriteArrayList<>();
    volatile String lastId;
    /**
     * The room's epoch at {@link #lastId}: set when the topic is made, and where the stream marks a new
     * epoch ({@link RoomScripts}) or a check finds one ({@link EpochHandover#checkRooms}).
     */
    volatile String epoch = "";
    /**
     * {@link #epoch} and the number of {@link #lastId}, read together: what this node's events must
     * come after ({@link RoomScripts.Fence}). Set under this topic's lock wherever either changes.
     */
    private volatile RoomScripts.Fence fence = RoomScripts.Fence.NONE;
    /** The entry at {@link #lastId}, to see whether Redis still holds it after an outage; null for none. */
    volatile StreamMessage<String, String> last;
    /**
     * The newest events read, for a handover: at most {@link #RECENT_MAX}, none read longer ago than
     * a lease (every live node has read them by then). Guarded by this.
     */
    final Deque<Read> recent = new ArrayDeque<>();
    private final long keepNanos;
    /**
     * This node's events Redis took that this node has not read back yet, oldest first. Guarded by
     * itself, not by the topic: the callbacks that add to it must not wait for a listener.
     */
    private final Deque<Pending> pending = new ArrayDeque<>();
    /**
     * The sequence of the newest event handed to the listeners, set once they had it (not when the
     * reader took it, as {@link #lastId} is): an outcome completes after its event reached this
     * node's members, so a sender's acknowledgement follows its line. Guarded by {@link #pending}.
     */
    private long delivered = -1;
    /** No longer read: nothing more will be read back. Guarded by {@link #pending}. */
    private boolean stopped;

    RoomTopic(String room, String key, Duration lease) {
        this.room = room;
        this.key = key;
        this.keepNanos = lease.toNanos();
    }

    synchronized void deliver(StreamMessage<String, String> message) {
        if (compareIds(message.getId(), lastId) <= 0) {
            return; // delivered already (a backlog read after the reader's snapshot)
        }
        lastId = message.getId();
        last = message;
        if (isMarker(message)) {
            String name = message.getBody().getOrDefault("a", "");
            if (!name.equals(epoch)) {
                log.info("Room {} is in a new epoch {} from sequence {}", room, name, message.getBody().get("b"));
                epoch = name;
                recent.clear(); // a handover hands over the old epoch's events by number: not these
            }
            fenced();
            return;
        }
        fenced();
        remember(message);
        deliverTo(listeners, message);
        delivered(sequenceOf(lastId));
    }

    /** Where this node stands in the room: an event it places must take a later number ({@link RoomScripts.Fence}). */
    RoomScripts.Fence fence() {
        return fence;
    }

    private void fenced() {
        String id = lastId;
        fence = id == null || epoch.isEmpty() ? RoomScripts.Fence.NONE : new RoomScripts.Fence(epoch, sequenceOf(id));
    }

    /** Whether the entry marks a new epoch rather than holding an event. */
    static boolean isMarker(StreamMessage<String, String> message) {
        return "e".equals(message.getBody().get("k"));
    }

    /**
     * The room's epoch changed to {@code name}, starting at sequence {@code start}: if this topic read
     * that far in the old one, it reads again from there in the new one (what it delivered stays
     * delivered); if not, the marker in the stream switches it when it gets there. Outcomes not read
     * back are unconfirmed.
     */
    synchronized void adopt(String name, long start) {
        unconfirm();
        if (lastId != null && sequenceOf(lastId) >= start) {
            lastId = (start - 1) + "-0";
            last = null;
            epoch = name;
            forget();
            fenced();
        }
    }

    /**
     * A new subscription read the backlog up to {@code id} and handed it to its listener: live reading
     * starts after it, and outcomes of events up to it are done.
     */
    void readUpTo(String id, StreamMessage<String, String> entry) {
        lastId = id;
        last = entry;
        fenced();
        delivered(sequenceOf(id));
    }

    private void delivered(long sequence) {
        List<Pending> read = new ArrayList<>(1);
        synchronized (pending) {
            delivered = Math.max(delivered, sequence);
            while (!pending.isEmpty() && pending.peekFirst().sequence() <= sequence) {
                read.add(pending.removeFirst());
            }
        }
        read.forEach(p -> p.outcome().complete(null));
    }

    /**
     * Registers the outcome of this node's event number {@code sequence}, to complete once read
     * back; false if it is read already, or the room no longer read.
     */
    boolean awaitReadBack(long sequence, CompletableFuture<Void> outcome) {
        synchronized (pending) {
            if (stopped || delivered >= sequence) {
                return false;
            }
            pending.addLast(new Pending(sequence, outcome));
            return true;
        }
    }

    /** The connection broke: the events not read back may have reached the others or none. */
    void unconfirm() {
        for (Pending lost : drain(false)) {
            lost.outcome().completeExceptionally(new BrokerUnavailableException(
                    "Redis was lost before this node read the event back", null, true));
        }
    }

    /** Unsubscribed: the events not read back took their places; this node will not see them. */
    void stopReading() {
        drain(true).forEach(p -> p.outcome().complete(null));
    }

    private List<Pending> drain(boolean stop) {
        synchronized (pending) {
            stopped |= stop;
            List<Pending> all = new ArrayList<>(pending);
            pending.clear();
            return all;
        }
    }

    /** The epoch was handed over: nothing read before it can be asked for again; numbering starts anew. */
    synchronized void forget() {
        recent.clear();
        synchronized (pending) {
            delivered = -1;
        }
    }

    synchronized void remember(StreamMessage<String, String> message) {
        long now = System.nanoTime();
        recent.addLast(new Read(message, now));
        while (recent.size() > RECENT_MAX || now - recent.peekFirst().at() > keepNanos) {
            recent.removeFirst();
        }
    }

    void deliverTo(List<Listener> to, StreamMessage<String, String> message) {
        Map<String, String> body = message.getBody();
        long sequence = Long.parseLong(message.getId().substring(0, message.getId().indexOf('-')));
        long time = Long.parseLong(body.getOrDefault("t", "0"));
        RoomEvent event;
        try {
            event = EventFields.event(body);
        } catch (IllegalArgumentException e) {
            log.warn("Skipped entry {} of room {}: {}", message.getId(), room, e.getMessage());
            return;
        }
        for (Listener listener : to) {
            try {
                listener.onEvent(sequence, time, event);
            } catch (RuntimeException e) {
                log.warn("A listener of room {} threw on event {}", room, sequence, e);
            }
        }
    }

    /** Compares stream ids {@code ms-seq}. */
    static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }

    static long sequenceOf(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    /** An event a topic read, and when ({@link System#nanoTime}). */
    record Read(StreamMessage<String, String> message, long at) {
    }

    /** One of this node's events, placed as {@code sequence}, and the outcome of its publish. */
    record Pending(long sequence, CompletableFuture<Void> outcome) {
    }
}
