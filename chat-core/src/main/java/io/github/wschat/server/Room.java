package io.github.wschat.server;

import io.github.wschat.Registration;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.Placement;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.protocol.Recovery;
import io.github.wschat.protocol.Sequenced;
import io.github.wschat.protocol.WireFormat;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.SharedText;
import com.google.common.base.Utf8;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The members of one room on this node, and its recent history. The room's order is the broker's;
 * the room turns each event into one frame per wire format and queues it on every member it is
 * for, in that order, and keeps public events in its history. Thread-safe: a join takes the lock
 * that fan-out holds while frames are queued (queueing never blocks) — never while publishing — so
 * a joiner gets the history, then every event after it, with no gap and no duplicate at the seam.
 */
final class Room {

    private final String name;
    private final Broker broker;
    private final ChatMetrics metrics;
    private final Moderation moderation;
    private final ReentrantLock lock = new ReentrantLock();
    // Copy-on-write: fan-out iterates a snapshot, so a member dropped during fan-out (its close runs
    // on the fan-out thread) cannot disturb the iteration.
    private final List<Member> members = new CopyOnWriteArrayList<>();
    // Under the lock.
    private final RoomHistory history;
    // Under the lock: the last member left; the room is being dropped and takes no more joins.
    private boolean closed;
    private final Registration subscription;

    Room(String name, Broker broker, HistoryBudget budget, ChatMetrics metrics, Moderation moderation) {
        this.name = name;
        this.broker = broker;
        this.history = new RoomHistory(budget);
        this.metrics = metrics;
        this.moderation = moderation;
        // The broker's backlog (a shared broker keeps the room's events) becomes the history here.
        this.subscription = broker.subscribe(name, budget.lines(), this::deliver);
    }

    String name() {
        return name;
    }

    /**
     * Welcomes the member (members, history) and adds it: it gets every later event. {@code everywhere},
     * the room's members on every node when the broker is shared, is the member list of the welcome.
     *
     * @return false, with nothing sent, if the room has closed: its last member left; join a new one
     */
    boolean join(Member member, Optional<List<String>> everywhere, Optional<Since> since) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            String epoch = history.epoch().isEmpty() ? Objects.requireNonNullElse(broker.epoch(name), "") : history.epoch();
            boolean missed = since.isPresent() && !since.get().epoch().equals(epoch);
            List<Sequenced> past = history.all();
            if (since.isPresent() && !missed) {
                Optional<List<Sequenced>> after = history.after(since.get().sequence());
                missed = after.isEmpty();
                past = after.orElse(past);
            }
            Recovery recovery = new Recovery(epoch, since.isPresent(), missed);
            List<String> nicks = everywhere.map(all -> withJoiner(all, member.nick())).orElseGet(() -> membersAnd(member));
            for (String frame : member.format().welcome(member.nick(), name, nicks, past, recovery,
                    member.identity().roles())) {
                member.connection().send(frame);
            }
            members.add(member);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The members of every node (a shared broker's roster), the joiner among them. */
    private static List<String> withJoiner(List<String> everywhere, String joiner) {
        if (everywhere.contains(joiner)) {
            return everywhere;
        }
        List<String> all = new ArrayList<>(everywhere);
        all.add(joiner);
        return all;
    }

    /**
     * This node's members and the joiner, as a view read under the lock during the welcome only: a
     * format that shows no member list (plain text) costs nothing per member already in a big room.
     */
    private List<String> membersAnd(Member joiner) {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return index < members.size() ? members.get(index).nick() : joiner.nick();
            }

            @Override
            public int size() {
                return members.size() + 1;
            }
        };
    }

    /**
     * Removes the member. The last one out closes the room: it takes no more joins.
     *
     * @return true if this closed the room: the caller drops it and ends its subscription
     */
    boolean remove(Member member) {
        lock.lock();
        try {
            members.remove(member);
            if (members.isEmpty() && !closed) {
                closed = true;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The members' nicknames, in the order they joined. */
    List<String> nicks() {
        lock.lock();
        try {
            List<String> nicks = new ArrayList<>(members.size() + 1);
            for (Member member : members) {
                nicks.add(member.nick());
            }
            return nicks;
        } finally {
            lock.unlock();
        }
    }

    /** The nickname of the member called {@code nick}, compared without regard to case. */
    Optional<String> memberNamed(String nick) {
        String key = nick.toLowerCase(Locale.ROOT);
        lock.lock();
        try {
            for (Member member : members) {
                if (member.nick().toLowerCase(Locale.ROOT).equals(key)) {
                    return Optional.of(member.nick());
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The members here with who they are, in the order they joined. */
    List<ChatMember> memberViews() {
        lock.lock();
        try {
            List<ChatMember> views = new ArrayList<>(members.size());
            for (Member member : members) {
                views.add(member.view());
            }
            return views;
        } finally {
            lock.unlock();
        }
    }

    /** The room's recent public events here, oldest first. */
    List<PlacedEvent> history() {
        lock.lock();
        try {
            return history.placed(name);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a member here is called exactly so. */
    boolean hasMember(String nick) {
        lock.lock();
        try {
            return memberCalled(nick) != null;
        } finally {
            lock.unlock();
        }
    }

    /** This node's member called exactly so, under the lock; null if none. */
    private Member memberCalled(String nick) {
        for (Member member : members) {
            if (member.nick().equals(nick)) {
                return member;
            }
        }
        return null;
    }

    /** Each member, without the lock: a snapshot of the members, for sampling. */
    void forEachMember(Consumer<Member> action) {
        members.forEach(action);
    }

    CompletionStage<Void> publish(RoomEvent event) {
        return broker.publish(name, event);
    }

    /** Publishes once per key (see {@link Broker#publishOnce}); a broker that cannot fails the outcome. */
    CompletionStage<Placement> publishOnce(RoomEvent event, String key) {
        try {
            return broker.publishOnce(name, event, key);
        } catch (UnsupportedOperationException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    void close() {
        subscription.remove();
        lock.lock();
        try {
            history.forget();
        } finally {
            lock.unlock();
        }
    }

    private void deliver(long sequence, long time, RoomEvent event) {
        // One frame per wire format, encoded once, the same object queued on every member of that
        // format (transports that can, encode it to bytes once too: see SharedText).
        Map<WireFormat, Frame> frames = new IdentityHashMap<>(4);
        String epoch = Objects.requireNonNullElse(broker.epoch(name), "");
        Function<WireFormat, Frame> encode = format -> new Frame(new SharedText(format.event(epoch, sequence, time, event)));
        Member moderated = null;
        lock.lock();
        try {
            history.delivered(epoch, sequence);
            if (event instanceof RoomEvent.Renamed renamed) {
                for (Member member : members) {
                    if (member.nick().equals(renamed.from())) {
                        member.renamed(renamed.to());
                    }
                }
            }
            if (event instanceof RoomEvent.Removed || event instanceof RoomEvent.Muted) {
                moderated = memberCalled(event instanceof RoomEvent.Removed r ? r.nick() : ((RoomEvent.Muted) event).nick());
            }
            if (moderated != null && event instanceof RoomEvent.Muted muted) {
                // Muted before anyone reads that it is: a line the member sends once it has read its
                // mute is refused (the store's copy, for later joins, follows below: Moderation.muted).
                moderated.muteUntil(Moderation.untilOf(muted, time));
            }
            if (event.isPublic()) {
                history.keep(new Sequenced(sequence, time, event));
                for (Member member : members) {
                    frames.computeIfAbsent(member.format(), encode).sendTo(member);
                }
            } else if (event instanceof RoomEvent.Private whisper) {
                for (Member member : members) {
                    if (member.nick().equals(whisper.from()) || member.nick().equals(whisper.to())) {
                        frames.computeIfAbsent(member.format(), encode).sendTo(member);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (moderated != null) {
            // After the event reached every member here, the moderated one's among them.
            if (event instanceof RoomEvent.Removed removed) {
                moderation.removed(moderated, removed, time);
            } else {
                moderation.muted(moderated, (RoomEvent.Muted) event, time);
            }
        }
        if (metrics != ChatMetrics.NONE) {
            // Counted per event and format, not per member: the frame's size once, times its members.
            int deliveries = 0;
            long bytes = 0;
            for (Frame frame : frames.values()) {
                deliveries += frame.members;
                bytes += (long) frame.members * Utf8.encodedLength(frame.text.text());
            }
            metrics.delivered(deliveries, bytes);
        }
    }

    /** One event's frame in one wire format, and how many members it was queued on. */
    private static final class Frame {
        private final SharedText text;
        private int members;

        Frame(SharedText text) {
            this.text = text;
        }

        void sendTo(Member member) {
            send(member, text);
            members++;
        }
    }

    private static void send(Member member, SharedText frame) {
        if (member.connection() instanceof AbstractConnection shared) {
            shared.send(frame);
        } else {
            member.connection().send(frame.text());
        }
    }
}
