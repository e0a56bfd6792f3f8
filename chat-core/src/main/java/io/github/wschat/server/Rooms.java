package io.github.wschat.server;

import io.github.wschat.Connection;
import io.github.wschat.app.Identity;
import io.github.wschat.broker.Broker;
import io.github.wschat.protocol.WireFormat;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Roster;
import java.util.List;
import java.util.Optional;
import io.github.wschat.broker.RoomEvent;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The rooms of one server: a room exists while it has members. Created on first join, dropped when
 * its last member leaves. Thread-safe.
 */
final class Rooms {

    private final Broker broker;
    private final HistoryBudget history;
    private final ChatMetrics metrics;
    private final Moderation moderation;
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final java.time.Duration leaveGrace;
    private final java.util.concurrent.ScheduledExecutorService timers;
    // Where the rooms' public events go to be kept (a history store's writer); null for nowhere.
    private volatile Consumer<io.github.wschat.app.PlacedEvent> kept;
    private volatile ServerHistory lasting = new ServerHistory(null, java.time.Duration.ZERO);

    Rooms(Broker broker, HistoryBudget history, ChatMetrics metrics, Moderation moderation) {
        this(broker, history, metrics, moderation, java.time.Duration.ZERO, null);
    }

    /**
     * @param leaveGrace how long a member whose last device went stays, away, for one to come back
     *     before its leave; zero for none
     * @param timers where the graces are timed, leaves finished, and the rest of a burst of joins and
     *     leaves placed (a thread that may wait for a shared store); null with no grace, every
     *     announcement placed where it was decided
     */
    Rooms(Broker broker, HistoryBudget history, ChatMetrics metrics, Moderation moderation,
            java.time.Duration leaveGrace, java.util.concurrent.ScheduledExecutorService timers) {
        this.broker = broker;
        this.history = history;
        this.metrics = metrics;
        this.moderation = moderation;
        this.leaveGrace = leaveGrace;
        this.timers = timers;
    }

    /**
     * Adds the device to the room, creating the room if need be, as a device of the person's member if
     * it has one there, else as a new member called {@code nick}; welcomed with the room's history, or
     * what it missed after {@code since}. The map's lock is held only to create a room, never while a
     * room's lock is taken: a device dropped during fan-out (the room's lock held) leaves through
     * {@link #leave}, which takes the map's lock.
     *
     * @param announce whether a new member's join is announced by this node (else by the roster)
     */
    Room.Arrival join(String name, String key, String nick, Identity identity, Connection connection, WireFormat format,
            Optional<Since> since, boolean announce) {
        // With a shared broker, the members of every node: asked before the room's lock is taken.
        Optional<Roster> roster = roster();
        Optional<List<String>> everywhere = roster.isEmpty() ? Optional.empty() : membersOf(roster.get(), name);
        Optional<List<io.github.wschat.app.PlacedEvent>> stored = storedAfter(name, since);
        while (true) {
            Room room = rooms.get(name); // a lookup first: no capturing lambda made for every join
            if (room == null) {
                room = rooms.computeIfAbsent(name, k -> new Room(k, broker, history, metrics, moderation, kept, timers));
            }
            Room.Arrival arrival = room.join(key, nick, identity, connection, format, everywhere, since, stored, announce);
            if (arrival != null) {
                room.announce();
                return arrival;
            }
            rooms.remove(name, room); // its last member left meanwhile: a new room takes its place
        }
    }

    /** How many events a resume reads from the history store at most; a client further behind missed some. */
    static final int RESUME_FROM_STORE = 1_000;

    /**
     * For a client that resumes after {@code since} further back than the room's memory reaches: what
     * the history store kept after it, read before any lock; empty where memory suffices, there is no
     * store, or it cannot answer (the client is then told it missed events, as without a store).
     */
    private Optional<List<io.github.wschat.app.PlacedEvent>> storedAfter(String name, Optional<Since> since) {
        var store = lasting.store();
        if (since.isEmpty() || store.isEmpty()) {
            return Optional.empty();
        }
        Room room = rooms.get(name);
        if (room != null && room.covers(since.get())) {
            return Optional.empty();
        }
        try {
            List<io.github.wschat.app.PlacedEvent> kept = new java.util.ArrayList<>();
            io.github.wschat.history.Position from = new io.github.wschat.history.Position(since.get().epoch(),
                    since.get().sequence());
            while (kept.size() < RESUME_FROM_STORE) {
                var page = store.get().after(name, from, io.github.wschat.history.HistoryStore.MAX_PAGE);
                kept.addAll(page.events());
                if (!page.more() || page.events().isEmpty()) {
                    return Optional.of(kept);
                }
                var last = page.events().get(page.events().size() - 1);
                from = new io.github.wschat.history.Position(last.epoch(), last.sequence());
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<List<String>> membersOf(Roster roster, String room) {
        try {
            return Optional.of(roster.members(room));
        } catch (BrokerUnavailableException e) {
            return Optional.empty(); // the welcome lists this node's members only
        }
    }

    /** The server's history: every public event the rooms deliver from now on goes to its writers (set once, at start). */
    void keepIn(ServerHistory history) {
        this.lasting = history;
        this.kept = history.feed().orElse(null);
    }

    /** The server's history beyond the rooms' memory. */
    ServerHistory history() {
        return lasting;
    }

    /** The nicknames and members of every node, if the broker is shared. */
    Optional<Roster> roster() {
        return broker.roster();
    }

    /**
     * Removes the device; where it was its member's last here, the member leaves, and with
     * {@code announce} its leave is placed, under the nickname it has now. Whoever reads the leave finds
     * the leaver gone from the room's members (a kick, {@code members()}) already. The last one out
     * drops the room after that: the room's subscription lasts until the leave is published, so that
     * other nodes hear of it even when this node's room closed with it.
     */
    Room.Departure leave(Room room, Device device, boolean announce) {
        return leave(room, device, announce, departure -> { });
    }

    /**
     * As {@link #leave(Room, Device, boolean)}, running {@code finish} — what the departure takes besides
     * the room (the member's name freed, the roster told) — before the leave is placed. With a leave
     * grace, a member whose last device this was is away instead ({@link Room.Departure#away()}): it
     * leaves when the grace ends unless a device of it comes back, and {@code finish} runs then, on the
     * timers' thread.
     */
    Room.Departure leave(Room room, Device device, boolean announce, Consumer<Room.Departure> finish) {
        String key = device.member().key();
        Runnable end = leaveGrace.isZero() ? null : () -> timers.execute(() -> endAway(room, key, announce, finish));
        Room.Departure departure = room.depart(device, announce, end);
        if (departure.away()) {
            var timer = timers.schedule(end, leaveGrace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            room.awayUntil(key, () -> timer.cancel(false));
            return departure;
        }
        finished(room, departure, finish);
        return departure;
    }

    /** A member's leave grace ended (or it was removed while away): it leaves, unless it came back. */
    private void endAway(Room room, String key, boolean announce, Consumer<Room.Departure> finish) {
        Room.Departure departure = room.leaveAway(key, announce);
        if (departure != null) {
            finished(room, departure, finish);
        }
    }

    private void finished(Room room, Room.Departure departure, Consumer<Room.Departure> finish) {
        finish.accept(departure);
        if (departure.closed()) {
            // After its last leaves are placed (a burst's may be placed on the timers' thread), and only if
            // no one came back meanwhile: the subscription lasts until then, so other nodes hear them.
            room.closeWhenAnnounced(() -> {
                rooms.remove(room.name(), room);
                room.close();
            });
        }
        room.announce();
    }

    /** Each room here; a weakly consistent walk. */
    void forEachRoom(Consumer<Room> action) {
        rooms.values().forEach(action);
    }

    /** Each device of each room, for sampling; a weakly consistent walk. */
    void forEachDevice(Consumer<Device> action) {
        rooms.values().forEach(room -> room.forEachDevice(action));
    }

    /** The room called so, if it has members on this node. */
    Optional<Room> find(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    /** The names of the rooms with members on this node. */
    java.util.Set<String> names() {
        return java.util.Set.copyOf(rooms.keySet());
    }

    /** Where moderation waits for a shared store: never a broker's or a transport's thread. */
    java.util.concurrent.Executor moderationExecutor() {
        return moderation.executor();
    }

    int historySize() {
        return history.lines();
    }

    /** The bytes of history the rooms keep now. */
    long historyBytes() {
        return history.used();
    }

    Broker broker() {
        return broker;
    }

    boolean exists(String name) {
        return rooms.containsKey(name);
    }

    int count() {
        return rooms.size();
    }
}
