package io.github.wschat.broker;

import java.util.List;
import java.util.Set;

/**
 * Who is in the chat across every node: nicknames held by one connection anywhere, and the members
 * of each room on all nodes. A broker shared by several nodes offers one ({@link Broker#roster()});
 * a single node keeps its own and needs none.
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
     */
    record Entry(String nick, String identity, Set<String> roles) {
        /**
         * Copies the parts.
         *
         * @param nick its nickname
         * @param identity the id of its identity
         * @param roles its roles
         */
        public Entry {
            java.util.Objects.requireNonNull(nick, "nick");
            java.util.Objects.requireNonNull(identity, "identity");
            roles = Set.copyOf(roles);
        }
    }
}
