package io.github.wschat.server;

import io.github.wschat.Registration;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.Placement;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.protocol.Recovery;
import io.github.wschat.protocol.Sequenced;
import io.github.wschat.protocol.WireFormat;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.SharedText;
import io.github.wschat.presence.Announcements;
import io.github.wschat.presence.People;
import io.github.wschat.Connection;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The members of one room on this node, each with its devices, and the room's recent history. The
 * room's order is the broker's; the room turns each event into one frame per wire format and queues it
 * on every device it is for, in that order, and keeps public events in its history. Thread-safe: a
 * device's arrival takes the lock that fan-out holds while frames are queued (queueing never blocks) —
 * never while publishing — so a joiner gets the history, then every event after it, with no gap and no
 * duplicate at the seam. Who is present, and when a person arrives or leaves, is {@link People}'s; the
 * joins and leaves this node decides are placed in the order decided ({@link Announcements}).
 */
final class Room {

    private final String name;
    private final Broker broker;
    private final ChatMetrics metrics;
    private final Moderation moderation;
    private final ReentrantLock lock = new ReentrantLock();
    // Under the lock, but for its devices() snapshot, which fan-out walks: a device dropped during
    // fan-out (its close runs on the fan-out thread) cannot disturb the walk.
    private final People<Member, Device> people = new People<>();
    private final Announcements<RoomEvent> announcements;
    // Under the lock: members whose last device went within the leave grace, by key: listed, with no
    // device, until one comes back or the grace ends (Rooms).
    private final Map<String, Away> away = new java.util.HashMap<>();
    // Under the lock.
    private final RoomHistory history;
    // Under the lock: the last member left; the room is being dropped and takes no more joins.
    private boolean closed;
    private final Registration subscription;
    // Where public events go to be kept beyond memory (a history store's writer); null for nowhere.
    private final Consumer<PlacedEvent> kept;

    /**
     * @param kept where public events go to be kept beyond memory (a history store's writer); null for nowhere
     * @param bursts where a burst of joins and leaves is placed past its first few (a thread that may
     *     wait); null to place every one on the thread that decided it
     */
    Room(String name, Broker broker, HistoryBudget budget, ChatMetrics metrics, Moderation moderation,
            Consumer<PlacedEvent> kept, java.util.concurrent.Executor bursts) {
        this.name = name;
        this.kept = kept;
        this.broker = broker;
        this.history = new RoomHistory(budget);
        this.metrics = metrics;
        this.moderation = moderation;
        Consumer<RoomEvent> place = event -> broker.publish(name, event);
        this.announcements = bursts == null ? new Announcements<>(place) : new Announcements<>(place, bursts);
        // The broker's backlog (a shared broker keeps the room's events) becomes the history here.
        this.subscription = broker.subscribe(name, budget.lines(), this::deliver);
    }

    String name() {
        return name;
    }

    /**
     * A device joins: welcomed (members, history) and added, it gets every later event. If its person
     * is a member here already, the device joins that member, under its nickname; else it makes a new
     * member called {@code nick}. {@code everywhere}, the room's members on every node when the broker is
     * shared, is the member list of the welcome.
     *
     * @param announce whether a new member's join is announced here (else the roster places it, or no
     *     one: joins are not announced); placed by {@link #announce()}
     * @return the device, and whether it made a new member here; or null, with nothing sent, if the
     *     room has closed: its last member left; join a new one
     */
    Arrival join(String key, String nick, Identity identity, Connection connection, WireFormat format,
            Optional<List<String>> everywhere, Optional<Since> since, boolean announce) {
        return join(key, nick, identity, connection, format, everywhere, since, Optional.empty(), announce);
    }

    /**
     * As above; where memory no longer reaches back to {@code since}, the events a history store kept
     * after it ({@code stored}, read before the lock) fill the gap, if they reach the events memory holds.
     */
    Arrival join(String key, String nick, Identity identity, Connection connection, WireFormat format,
            Optional<List<String>> everywhere, Optional<Since> since, Optional<List<PlacedEvent>> stored, boolean announce) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            // Plain branches, not Optional's lambdas: a join runs ten thousand times in a connect storm
            // on a fresh server, where each capturing lambda is an allocation through a method handle.
            Member here = people.person(key).orElse(null);
            Away back = here != null ? null : away.remove(key);
            if (back != null) {
                back.timer().remove();
            }
            Member member = here != null ? here : back != null ? back.member()
                    : new Member(key, nick, identity, connection.handshake().remoteAddress().getAddress());
            String epoch = history.epoch().isEmpty() ? Objects.requireNonNullElse(broker.epoch(name), "") : history.epoch();
            boolean missed = since.isPresent() && !since.get().epoch().equals(epoch);
            List<Sequenced> past = history.all();
            if (since.isPresent() && !missed) {
                Optional<List<Sequenced>> after = history.after(since.get().sequence())
                        .or(() -> stored.flatMap(kept -> spliced(since.get(), kept)));
                missed = after.isEmpty();
                past = after.orElse(past);
            }
            Recovery recovery = new Recovery(epoch, since.isPresent(), missed);
            List<String> nicks = everywhere.isPresent() ? withJoiner(everywhere.get(), member.nick())
                    : here != null ? nicks() : membersAnd(member.nick());
            for (String frame : format.welcome(member.nick(), name, nicks, past, recovery, identity.roles())) {
                connection.send(frame);
            }
            Device device = new Device(connection, format, member);
            boolean first = people.arrive(key, k -> member, device).first() && back == null;
            member.devices(people.devicesOf(key).size());
            if (first && announce) {
                announcements.add(new RoomEvent.Joined(member.nick()));
            }
            return new Arrival(this, device, first, back != null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether memory alone resumes a client after {@code since} (its epoch, and no gap after it).
     */
    boolean covers(Since since) {
        lock.lock();
        try {
            return since.epoch().equals(history.epoch()) && history.after(since.sequence()).isPresent();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: the events after {@code since} from a store's copy, then memory's, if the store's
     * reach the event before memory's first (or, with nothing in memory, the last one delivered); else
     * empty: the client missed some (the store is behind, or the event there was a private line).
     */
    private Optional<List<Sequenced>> spliced(Since since, List<PlacedEvent> kept) {
        List<Sequenced> held = history.all();
        long need = held.isEmpty() ? history.lastSequence() : held.get(0).sequence() - 1;
        List<Sequenced> joined = new ArrayList<>(kept.size() + held.size());
        long last = since.sequence();
        for (PlacedEvent event : kept) {
            if (event.epoch().equals(since.epoch()) && event.sequence() > since.sequence()
                    && (held.isEmpty() || event.sequence() < held.get(0).sequence())) {
                joined.add(new Sequenced(event.sequence(), event.time(), event.event()));
                last = event.sequence();
            }
        }
        if (last < need) {
            return Optional.empty();
        }
        joined.addAll(held);
        return Optional.of(joined);
    }

    /**
     * A device's arrival: the room it joined, the device, whether it made a new member here, and whether
     * it brought back a member that was away within the leave grace (no join, no leave).
     */
    record Arrival(Room room, Device device, boolean first, boolean resumed) {
    }

    /** A member away within the leave grace: its timer, and what ends its grace at once ({@link Rooms}). */
    record Away(Member member, io.github.wschat.Registration timer, Runnable gone) {
    }

    /** Places the joins and leaves decided so far, in order; call without the lock. */
    void announce() {
        announcements.drain();
    }

    /** Adds a join or leave the roster left to this node, after those decided here before. */
    void announce(RoomEvent event) {
        lock.lock();
        try {
            announcements.add(event);
        } finally {
            lock.unlock();
        }
        announcements.drain();
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
    private List<String> membersAnd(String joiner) {
        List<Member> here = people.people();
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return index < here.size() ? here.get(index).nick() : joiner;
            }

            @Override
            public int size() {
                return here.size() + 1;
            }
        };
    }

    /**
     * What a device's departure did: whether the member left here, whether it left the room empty (the
     * room then closes once its announcements are placed, unless someone joined meanwhile:
     * {@link #closeWhenAnnounced}), the member's nickname, and whether the member is away instead (its
     * leave waits for the grace).
     */
    record Departure(boolean last, boolean closed, String nick, boolean away) {
    }

    /**
     * Removes the device. The member's last device out removes the member, and the last member out
     * closes the room: it takes no more joins.
     *
     * @param announce whether the leave of a member whose last device this was is announced here;
     *     placed by {@link #announce()}
     * @return whether this was the member's last device here, whether it closed the room (the caller
     *     drops it and ends its subscription), and the member's nickname now
     */
    Departure depart(Device device, boolean announce) {
        return depart(device, announce, null);
    }

    /**
     * As {@link #depart(Device, boolean)}; with {@code keepAway}, a member whose last device this was
     * stays listed, away, until {@link #awayUntil} times it out or a device of it comes back.
     */
    Departure depart(Device device, boolean announce, Runnable keepAway) {
        lock.lock();
        try {
            Member member = device.member();
            boolean last = people.depart(member.key(), device);
            member.devices(people.devicesOf(member.key()).size());
            if (last && keepAway != null) {
                away.put(member.key(), new Away(member, () -> { }, keepAway));
                return new Departure(false, false, member.nick(), true);
            }
            if (last && announce) {
                announcements.add(new RoomEvent.Left(member.nick()));
            }
            return new Departure(last, emptied(), member.nick(), false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: whether the last member went. The room closes only once its announcements (that
     * member's leave among them) are placed, and only if no one joined meanwhile ({@link #closeWhenAnnounced}):
     * a member who comes back before then rejoins this room, its join placed after its leave.
     */
    private boolean emptied() {
        return people.isEmpty() && away.isEmpty() && !closed;
    }

    /**
     * Once what was announced so far is placed: if the room is still empty, it is closed (no later join
     * gets in: a joiner makes a new room) and {@code closed} runs, on the thread that placed them.
     *
     * @param closed what closing the room takes besides (dropping it, unsubscribing)
     */
    void closeWhenAnnounced(Runnable closed) {
        announcements.then(() -> {
            lock.lock();
            boolean closing;
            try {
                closing = emptied();
                if (closing) {
                    this.closed = true;
                }
            } finally {
                lock.unlock();
            }
            if (closing) {
                closed.run();
            }
        });
    }

    /** The timer of a member that went away, unless it came back meanwhile (then the timer is removed). */
    void awayUntil(String key, io.github.wschat.Registration timer) {
        lock.lock();
        try {
            Away gone = away.get(key);
            if (gone == null) {
                timer.remove();
            } else {
                away.put(key, new Away(gone.member(), timer, gone.gone()));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The grace of a member away ended: it leaves, and its leave is announced here with {@code announce}.
     *
     * @return the departure; null if it came back meanwhile
     */
    Departure leaveAway(String key, boolean announce) {
        lock.lock();
        try {
            Away left = away.remove(key);
            if (left == null) {
                return null;
            }
            left.timer().remove();
            if (announce) {
                announcements.add(new RoomEvent.Left(left.member().nick()));
            }
            return new Departure(true, emptied(), left.member().nick(), false);
        } finally {
            lock.unlock();
        }
    }

    /** The members' nicknames, in the order they joined (then those away). */
    List<String> nicks() {
        lock.lock();
        try {
            List<String> nicks = new ArrayList<>(people.size() + away.size() + 1);
            for (Member member : everyone()) {
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
            for (Member member : everyone()) {
                if (member.nick().toLowerCase(Locale.ROOT).equals(key)) {
                    return Optional.of(member.nick());
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The nickname of the person with this key, if it is a member here. */
    Optional<String> nickOf(String key) {
        lock.lock();
        try {
            return people.person(key).or(() -> Optional.ofNullable(away.get(key)).map(Away::member)).map(Member::nick);
        } finally {
            lock.unlock();
        }
    }

    /** The members here with who they are, in the order they joined. */
    List<ChatMember> memberViews() {
        lock.lock();
        try {
            List<ChatMember> views = new ArrayList<>(people.size() + away.size());
            for (Member member : everyone()) {
                views.add(member.view());
            }
            return views;
        } finally {
            lock.unlock();
        }
    }

    /** The position of the oldest event the room holds here; empty if it holds none. */
    Optional<io.github.wschat.history.Position> oldest() {
        lock.lock();
        try {
            List<Sequenced> held = history.all();
            return held.isEmpty() || history.epoch().isEmpty() ? Optional.empty()
                    : Optional.of(new io.github.wschat.history.Position(history.epoch(), held.get(0).sequence()));
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

    /** Lets go of the lines of this author that memory holds here (a person asked to be forgotten). */
    void forget(String author) {
        lock.lock();
        try {
            history.forget(author);
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

    /** Under the lock: the members with devices here, then those away. */
    private List<Member> everyone() {
        if (away.isEmpty()) {
            return people.people();
        }
        List<Member> all = new ArrayList<>(people.people());
        away.values().forEach(gone -> all.add(gone.member()));
        return all;
    }

    /** This node's member called exactly so, under the lock; null if none. */
    private Member memberCalled(String nick) {
        for (Member member : everyone()) {
            if (member.nick().equals(nick)) {
                return member;
            }
        }
        return null;
    }

    /** Each device, without the lock: a snapshot of the devices, for sampling. */
    void forEachDevice(Consumer<Device> action) {
        for (Device device : people.devices()) {
            action.accept(device);
        }
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
        // One frame per wire format, encoded once, the same object queued on every device of that
        // format (transports that can, encode it to bytes once too: see SharedText).
        Map<WireFormat, Frame> frames = new IdentityHashMap<>(4);
        String epoch = Objects.requireNonNullElse(broker.epoch(name), "");
        Function<WireFormat, Frame> encode = format -> new Frame(new SharedText(format.event(epoch, sequence, time, event)));
        Member moderated = null;
        List<Device> moderatedDevices = List.of();
        Runnable awayRemoved = null;
        lock.lock();
        try {
            history.delivered(epoch, sequence);
            if (event instanceof RoomEvent.Renamed renamed) {
                for (Member member : everyone()) {
                    if (member.nick().equals(renamed.from())) {
                        member.renamed(renamed.to());
                    }
                }
            }
            if (event instanceof RoomEvent.Removed || event instanceof RoomEvent.Muted) {
                moderated = memberCalled(event instanceof RoomEvent.Removed r ? r.nick() : ((RoomEvent.Muted) event).nick());
                if (moderated != null) {
                    moderatedDevices = people.devicesOf(moderated.key());
                    Away gone = away.get(moderated.key());
                    if (gone != null && event instanceof RoomEvent.Removed) {
                        awayRemoved = gone.gone(); // no device to close: its leave does not wait
                    }
                }
            }
            if (moderated != null && event instanceof RoomEvent.Muted muted) {
                // Muted before anyone reads that it is: a line the member sends once it has read its
                // mute is refused (the store's copy, for later joins, follows below: Moderation.muted).
                moderated.muteUntil(Moderation.untilOf(muted, time));
            }
            if (event.isPublic()) {
                history.keep(new Sequenced(sequence, time, event));
                if (kept != null) {
                    kept.accept(new PlacedEvent(name, epoch, sequence, time, event));
                }
                for (Device device : people.devices()) {
                    frames.computeIfAbsent(device.format(), encode).sendTo(device);
                }
            } else if (event instanceof RoomEvent.Private whisper) {
                for (Device device : people.devices()) {
                    String nick = device.member().nick();
                    if (nick.equals(whisper.from()) || nick.equals(whisper.to())) {
                        frames.computeIfAbsent(device.format(), encode).sendTo(device);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (awayRemoved != null) {
            awayRemoved.run();
        }
        if (moderated != null) {
            // After the event reached every device here, the moderated member's among them.
            if (event instanceof RoomEvent.Removed removed) {
                moderation.removed(moderated, moderatedDevices, removed, time);
            } else {
                moderation.muted(moderated, (RoomEvent.Muted) event, time);
            }
        }
        if (metrics != ChatMetrics.NONE) {
            // Counted per event and format, not per device: the frame's size once, times its devices.
            int deliveries = 0;
            long bytes = 0;
            for (Frame frame : frames.values()) {
                deliveries += frame.devices;
                bytes += (long) frame.devices * Utf8.encodedLength(frame.text.text());
            }
            metrics.delivered(deliveries, bytes);
        }
    }

    /** One event's frame in one wire format, and how many devices it was queued on. */
    private static final class Frame {
        private final SharedText text;
        private int devices;

        Frame(SharedText text) {
            this.text = text;
        }

        void sendTo(Device device) {
            if (device.connection() instanceof AbstractConnection shared) {
                shared.send(text);
            } else {
                device.connection().send(text.text());
            }
            devices++;
        }
    }
}
