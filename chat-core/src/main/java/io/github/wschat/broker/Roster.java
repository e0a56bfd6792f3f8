package io.github.wschat.broker;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is in the chat across every node: nicknames held by one person anywhere, and the members of each
 * room on all nodes. A broker shared by several nodes offers one ({@link Broker#roster()}); a single
 * node keeps its own and needs none.
 *
 * <p>A member is a person: an identity on several devices (connections), on one node or several, is
 * one member of a room, known by a <em>member key</em> ({@code i:} and its identity's id; an anonymous
 * member, one connection, has a key of that connection). A roster that counts devices per node
 * ({@link #arrived}, {@link #departed}) decides, across the nodes, when a member's first device
 * arrives and its last departs, and may place the join or leave itself in the same step; the methods'
 * defaults serve a roster that knows one device per member per node, as before devices existed.
 *
 * <p>Methods may ask a remote store and wait for it, at most for the broker's command timeout; when
 * it cannot answer they throw {@link BrokerUnavailableException}. Thread-safe.
 */
public interface Roster {

    /**
     * Claims a nickname for a connection of this node, compared without regard to case.
     *
     * @param nick the nickname
     * @return false if a connection anywhere holds it
     * @throws BrokerUnavailableException if the store cannot answer
     */
    boolean claim(String nick);

    /**
     * @param nick the nickname
     * @return whether a connection anywhere holds it
     * @throws BrokerUnavailableException if the store cannot answer
     */
    boolean isTaken(String nick);

    /**
     * Releases a nickname this node holds; a nickname held elsewhere is left alone.
     *
     * @param nick the nickname
     */
    void release(String nick);

    /**
     * Claims a nickname for a person (its member key, {@code owner}) on this node: one person may hold
     * it from several nodes at once, no one else. By default as {@link #claim(String)}.
     *
     * @param nick the nickname
     * @param owner the member key of the person claiming it
     * @return false if someone else holds it anywhere
     * @throws BrokerUnavailableException if the store cannot answer
     */
    default boolean claim(String nick, String owner) {
        return claim(nick);
    }

    /**
     * By default as {@link #isTaken(String)}.
     *
     * @param nick the nickname
     * @param owner a member key
     * @return whether someone other than {@code owner} holds it anywhere
     * @throws BrokerUnavailableException if the store cannot answer
     */
    default boolean isTaken(String nick, String owner) {
        return isTaken(nick);
    }

    /**
     * Releases this node's hold of a nickname for a person; it stays held while the person holds it from
     * another node. By default as {@link #release(String)}.
     *
     * @param nick the nickname
     * @param owner the member key of the person that claimed it
     */
    default void release(String nick, String owner) {
        release(nick);
    }

    /**
     * A device of a member arrived in a room on this node.
     *
     * <p>By default: if it is the member's first device here, as {@link #joined(String, String, String,
     * Set)}, and {@link Change#ANNOUNCE}; else {@link Change#NONE}.
     *
     * @param room the room
     * @param member the member key
     * @param nick the member's nickname
     * @param identity the id of the member's identity; empty for an anonymous member
     * @param roles the identity's roles
     * @param firstHere whether it is the member's first device in the room on this node
     * @param announce whether joins are announced (a roster that places the join places it only then)
     * @return whether this made the member present in the room, and who announces it
     * @throws BrokerUnavailableException if the store cannot answer
     */
    default Change arrived(String room, String member, String nick, String identity, Set<String> roles,
            boolean firstHere, boolean announce) {
        if (!firstHere) {
            return Change.NONE;
        }
        joined(room, nick, identity, roles);
        return Change.ANNOUNCE;
    }

    /**
     * A device of a member departed from a room on this node. A store that cannot answer is the
     * roster's to deal with (its leases end): this method does not throw for it.
     *
     * <p>By default: if it was the member's last device here, as {@link #left}, and
     * {@link Change#ANNOUNCE}; else {@link Change#NONE}.
     *
     * @param room the room
     * @param member the member key
     * @param nick the member's nickname now
     * @param lastHere whether it was the member's last device in the room on this node
     * @return whether this made the member absent from the room, and who announces it
     */
    default Change departed(String room, String member, String nick, boolean lastHere) {
        if (!lastHere) {
            return Change.NONE;
        }
        left(room, nick);
        return Change.ANNOUNCE;
    }

    /**
     * A member renamed itself from a device on this node: every node's devices of it go by the new name.
     * By default as {@link #left} and {@link #joined(String, String, String, Set)}.
     *
     * @param room the room
     * @param member the member key
     * @param from the old nickname
     * @param to the new one
     * @param identity the id of the member's identity; empty for an anonymous member
     * @param roles the identity's roles
     * @throws BrokerUnavailableException if the store cannot answer
     */
    default void renamed(String room, String member, String from, String to, String identity, Set<String> roles) {
        left(room, from);
        joined(room, to, identity, roles);
    }

    /**
     * The nickname of a member in a room, if it has a device there on any node: another device of the
     * person joins that member, under that name. By default none known.
     *
     * @param room the room
     * @param member the member key
     * @return its nickname there
     * @throws BrokerUnavailableException if the store cannot answer
     */
    default Optional<String> nickOf(String room, String member) {
        return Optional.empty();
    }

    /**
     * What a device's arrival or departure meant for its member's presence in the room.
     */
    enum Change {
        /** The member arrived (its first device on any node) or left (its last): the caller announces it. */
        ANNOUNCE,
        /** The member arrived or left, and the roster placed the join or leave in the same step. */
        PLACED,
        /** The member was present before and still is (another device, here or on another node). */
        NONE
    }

    /**
     * A member of this node joined a room.
     *
     * @param room the room
     * @param nick the member's nickname
     */
    void joined(String room, String nick);

    /**
     * A member of this node joined a room, with who it is: the roster keeps its identity's id and roles
     * so that every node can list the room's members with theirs ({@link #entries}). By default as
     * {@link #joined(String, String)}, without them.
     *
     * @param room the room
     * @param nick the member's nickname
     * @param identity the id of the member's identity; empty for an anonymous member
     * @param roles the identity's roles
     */
    default void joined(String room, String nick, String identity, Set<String> roles) {
        joined(room, nick);
    }

    /**
     * A member of this node left a room.
     *
     * @param room the room
     * @param nick the member's nickname
     */
    void left(String room, String nick);

    /**
     * The members of a room on every node.
     *
     * @param room the room
     * @return their nicknames, in no particular order
     * @throws BrokerUnavailableException if the store cannot answer
     */
    List<String> members(String room);

    /**
     * The members of a room on every node, with the identities they joined with; by default the
     * {@linkplain #members nicknames} with none.
     *
     * @param room the room
     * @return one entry per member, in no particular order
     * @throws BrokerUnavailableException if the store cannot answer
     */
    default List<Entry> entries(String room) {
        return members(room).stream().map(nick -> new Entry(nick, "", Set.of())).toList();
    }

    /**
     * The rooms that have members on any node; by default none known.
     *
     * @return their names
     * @throws BrokerUnavailableException if the store cannot answer
     */
    default Set<String> rooms() {
        return Set.of();
    }

    /**
     * A member as the roster knows it.
     *
     * @param nick its nickname
     * @param identity the id of its identity; empty for an anonymous member
     * @param roles its identity's roles
     * @param devices its devices in the room, on every node; at least 1
     */
    record Entry(String nick, String identity, Set<String> roles, int devices) {
        /**
         * Copies the parts.
         *
         * @param nick its nickname
         * @param identity the id of its identity
         * @param roles its roles
         * @param devices its devices, at least 1
         */
        public Entry {
            java.util.Objects.requireNonNull(nick, "nick");
            java.util.Objects.requireNonNull(identity, "identity");
            roles = Set.copyOf(roles);
            devices = Math.max(1, devices);
        }

        /**
         * A member on one device.
         *
         * @param nick its nickname
         * @param identity the id of its identity
         * @param roles its roles
         */
        public Entry(String nick, String identity, Set<String> roles) {
            this(nick, identity, roles, 1);
        }
    }
}
