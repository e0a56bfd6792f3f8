package io.github.wschat.app;

import io.github.wschat.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The application's hold on one room, from {@code ChatServer.room(name)}: who is in it, what was said,
 * and what the application says and decides in it. A handle is cheap, holds nothing, and stays valid
 * while the server runs (the room itself exists while it has members). Thread-safe.
 *
 * <p>Everything a handle places — a notice, a removal, a mute — takes its place in the room's one order
 * like any member's line, on every node: members on every node see it at the same position. The
 * returned stage completes once it has its place (with a shared broker: once this node read it back),
 * or fails as a member's line would ({@link io.github.wschat.broker.BrokerUnavailableException}); a
 * moderation step for a nickname that is not in the room fails with
 * {@link java.util.NoSuchElementException}, and nothing is placed.
 *
 * <p>A returned stage may complete on a broker's I/O thread. Continue from it with the {@code …Async}
 * methods of {@link CompletionStage} (or your own executor) before calling a handle again or doing
 * anything that waits: a handle's methods may ask a shared broker and wait for its answer, which that
 * very thread would have to read.
 */
public interface RoomHandle {

    /**
     * @return the room's name
     */
    String name();

    /**
     * The room's members with who they are: this node's, in the order they joined, then, with a shared
     * broker, those of the other nodes with the identity id and roles they joined with (their
     * attributes stay on their own node).
     *
     * @return a snapshot; empty if the room has no member
     * @throws io.github.wschat.broker.BrokerUnavailableException if the shared roster cannot answer
     */
    List<ChatMember> members();

    /**
     * The nicknames of the room's members on every node (with a shared broker's roster), or on this one.
     *
     * @return a snapshot, in no particular order
     * @throws io.github.wschat.broker.BrokerUnavailableException if the shared roster cannot answer
     */
    List<String> everyone();

    /**
     * The room's recent public events (up to the server's history size), oldest first: as this node
     * holds them, or, where the room has no member on this node, as a shared broker keeps them.
     *
     * @return a snapshot; empty if no one holds any
     * @throws io.github.wschat.broker.BrokerUnavailableException if a shared broker cannot answer
     */
    List<PlacedEvent> history();

    /**
     * A page of the room's history before a position, oldest first, across its epochs: from the
     * server's history store ({@code ChatServer.Builder.historyStore}), or without one from what this
     * node holds in memory. Waits for the store.
     *
     * @param before the position to page back from (not included); empty for the newest events
     * @param limit how many at most; cut to {@link io.github.wschat.history.HistoryStore#MAX_PAGE}
     * @return the page, and whether older events are kept
     * @throws io.github.wschat.history.HistoryStoreException if the store cannot answer
     */
    io.github.wschat.history.HistoryPage history(java.util.Optional<io.github.wschat.history.Position> before, int limit);

    /**
     * Places a line from the application itself: plain clients see {@code " *** text"}, JSON clients a
     * {@code notice} event. A text with line breaks is posted as one notice per non-empty line.
     *
     * @param text what to say
     * @return completes when placed
     */
    CompletionStage<Void> post(String text);

    /**
     * Places a one-line notice at most once per key in this room, on every node of a shared broker
     * (the broker's once-keys, kept for 10 minutes): a second post with the same key places nothing and
     * completes with the first one's place. For callers that retry, as an HTTP API does with an
     * {@code Idempotency-Key}.
     *
     * @param text what to say, one line
     * @param key 1 to 200 characters, the caller's own (scope it: the server's clients' ids are scoped
     *     to their identities, and share the space)
     * @return completes with the notice's place
     * @throws IllegalArgumentException if {@code text} has a line break or is blank, or the key is
     *     empty or too long
     * @throws UnsupportedOperationException if the broker cannot place an event once per key
     */
    CompletionStage<io.github.wschat.broker.Placement> postOnce(String text, String key);

    /**
     * Removes a member: the room sees who and why, the member's connection is closed with
     * {@link io.github.wschat.CloseCodes#REMOVED 4001} and the reason, then its leave follows. The
     * member may connect again.
     *
     * @param nick the member's nickname (exact)
     * @param reason why, shown to the room
     * @return completes when the removal is placed
     */
    CompletionStage<Void> kick(String nick, String reason);

    /**
     * Mutes a member for a while: its lines are refused with the error {@code muted}; it still reads.
     * The mute follows its identity (or, if anonymous, its address) when it reconnects, on any node.
     *
     * @param nick the member's nickname (exact)
     * @param duration how long, positive
     * @param reason why, shown to the room
     * @return completes when the mute is placed
     */
    CompletionStage<Void> mute(String nick, Duration duration, String reason);

    /**
     * Lifts a member's mute.
     *
     * @param nick the member's nickname (exact)
     * @return completes when placed
     */
    CompletionStage<Void> unmute(String nick);

    /**
     * Bans a member's identity (or, if anonymous, its address) for a while: the member is closed with
     * {@link io.github.wschat.CloseCodes#BANNED 4003}, and its handshakes are refused with 403 and the
     * reason on every node until the ban ends. The identity's other members — the same person connected
     * in other rooms, on any node — are removed the same way, each in its own room's order.
     *
     * @param nick the member's nickname (exact)
     * @param duration how long, positive
     * @param reason why, shown to the room and to the banned
     * @return completes when the ban is placed
     */
    CompletionStage<Void> ban(String nick, Duration duration, String reason);

    /**
     * As {@link #ban(String, Duration, String)}, and with {@code address} the member's address is banned
     * as well: every handshake from it is refused for the time, whoever makes it (mind users who share
     * an address behind one router).
     *
     * @param nick the member's nickname (exact)
     * @param duration how long, positive
     * @param reason why, shown to the room and to the banned
     * @param address whether to ban the member's address too
     * @return completes when the ban is placed
     */
    CompletionStage<Void> ban(String nick, Duration duration, String reason, boolean address);

    /**
     * Joins the room as a bot: a member without a socket. It holds its nickname (unique on every node),
     * appears in {@code /who} and member lists, its join and leave are announced, and it receives the
     * room's events as frames of the wire format its subprotocol names ({@code ""} for plain lines,
     * {@code wschat.v1.json} for JSON events), through the same {@link Connection} API a transport's
     * connection has: {@code send("hello")}, {@code send("/me waves")}, {@code send("/msg ann hi")},
     * {@code send("/nick helper2")}, {@code close(1000, "")} to leave. It is subject to the room's
     * limits like any member. Its identity is {@code bot:NICK} with the role {@code bot}.
     *
     * <p>Threads: the bot's handlers run on a pool of the server's, one at a time, in order — never on a
     * transport's or the room's thread. A bot that is slow gets its frames queued, up to the server's
     * outbound budget; past it, it is closed (1008) and leaves, as a slow reader would. A handler that
     * throws closes the bot (1011) and it leaves. Nobody else waits for a bot. The server closes its bots
     * (1001) when it stops.
     *
     * @param nick the bot's nickname
     * @param subprotocol which wire format the bot reads: {@code ""} or {@code wschat.v1.json}
     * @param setup registers the bot's handlers, before it joins: it gets every frame from its welcome on
     * @return the bot's connection, open
     * @throws IllegalArgumentException if the nickname breaks the rules or no format has the subprotocol
     * @throws IllegalStateException if the nickname is in use, on any node
     */
    Connection bot(String nick, String subprotocol, Consumer<Connection> setup);
}
