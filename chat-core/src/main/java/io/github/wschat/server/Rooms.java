package io.github.wschat.server;

import io.github.wschat.broker.Broker;
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

    Rooms(Broker broker, HistoryBudget history, ChatMetrics metrics, Moderation moderation) {
        this.broker = broker;
        this.history = history;
        this.metrics = metrics;
        this.moderation = moderation;
    }

    /** Adds the member to the room, creating it if need be; the member is welcomed with its history. */
    Room join(String name, Member member) {
        return join(name, member, Optional.empty());
    }

    /**
     * As {@link #join(String, Member)}, for a client that resumes after the event it saw last. The map's
     * lock is held only to create a room, never while a room's lock is taken: a member dropped during
     * fan-out (the room's lock held) leaves through {@link #leave}, which takes the map's lock.
     */
    Room join(String name, Member member, Optional<Since> since) {
        // With a shared broker, the members of every node: asked before the room's lock is taken.
        Optional<List<String>> everywhere = roster().flatMap(r -> membersOf(r, name));
        while (true) {
            Room room = rooms.computeIfAbsent(name, key -> new Room(key, broker, history, metrics, moderation));
            if (room.join(member, everywhere, since)) {
                return room;
            }
            rooms.remove(name, room); // its last member left meanwhile: a new room takes its place
        }
    }

    private static Optional<List<String>> membersOf(Roster roster, String room) {
        try {
            return Optional.of(roster.members(room));
        } catch (BrokerUnavailableException e) {
            return Optional.empty(); // the welcome lists this node's members only
        }
    }

    /** The nicknames and members of every node, if the broker is shared. */
    Optional<Roster> roster() {
        return broker.roster();
    }

    /**
     * Removes the member, then tells the room it left, under the nickname it has now; the last one out
     * drops the room after that. Whoever reads the leave finds the leaver gone from the room's members
     * (a kick, {@code members()}) already. The room's subscription lasts until the leave is published,
     * so that other nodes hear of it even when this node's room closed with it.
     */
    void leave(Room room, Member member, String nick) {
        boolean last = room.remove(member);
        room.publish(new RoomEvent.Left(nick));
        if (last) {
            rooms.remove(room.name(), room);
            room.close();
        }
    }

    /** Each member of each room, for sampling; a weakly consistent walk. */
    void forEachMember(Consumer<Member> action) {
        rooms.values().forEach(room -> room.forEachMember(action));
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
