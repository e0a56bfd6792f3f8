package io.github.wschat.broker;

import java.util.List;

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
}
