package io.github.wschat.history;

import io.github.wschat.app.PlacedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a room's public events are kept beyond what memory or the broker holds: every line, for
 * paging back ("load older"), for resuming after a long absence, and for erasing a person's lines.
 * The broker orders and fans out; the store keeps.
 *
 * <p>Positions are {@code (room, epoch, seq)}; a room's epochs follow each other in time (a room
 * numbers its events again from a new epoch when its broker lost them), and a room's order is its
 * epochs' order, then the sequence within one. {@link #append} is idempotent on the position: two
 * nodes writing the same event keep it once.
 *
 * <p>Implementations are thread-safe. The server calls {@link #append}, {@link #expire} from one
 * thread of its own, never a transport's; reads come from members' commands (a transport's thread,
 * so they should be quick: an indexed query) and the application. A method that cannot reach its
 * storage throws {@link HistoryStoreException}.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * The most events one page holds: a larger limit is cut to it.
     */
    int MAX_PAGE = 200;

    /**
     * Keeps the events; one whose position is kept already is skipped. Private lines are never given.
     *
     * @param events public events of any rooms, in any order
     * @throws HistoryStoreException if the store cannot take them (the caller tries again later)
     */
    void append(List<PlacedEvent> events);

    /**
     * A room's events before a position, oldest first, across its epochs.
     *
     * @param room the room
     * @param before the position to page back from (not included); empty for the newest events
     * @param limit how many at most, 1 to {@link #MAX_PAGE}
     * @return the page; {@code more} if older events are kept
     * @throws HistoryStoreException if the store cannot answer
     */
    HistoryPage before(String room, Optional<Position> before, int limit);

    /**
     * A room's events after a position, oldest first: those of its epoch after it, then the later
     * epochs'.
     *
     * @param room the room
     * @param after the position (not included)
     * @param limit how many at most, 1 to {@link #MAX_PAGE}
     * @return the page; {@code more} if newer events are kept; empty, without {@code more}, where the
     *     store does not know the position's epoch
     * @throws HistoryStoreException if the store cannot answer
     */
    HistoryPage after(String room, Position after, int limit);

    /**
     * Erases every line (message and action) whose author is this identity, in every room: the lines
     * are deleted, and members who page back no longer see them (their positions are gaps).
     *
     * @param author an identity's id
     * @return how many lines were erased
     * @throws HistoryStoreException if the store cannot erase them
     */
    long forget(String author);

    /**
     * Deletes every event that took its place before {@code instant}.
     *
     * @param instant the oldest time kept
     * @return how many events were deleted
     * @throws HistoryStoreException if the store cannot delete them
     */
    long expire(Instant instant);

    /**
     * Releases what the store holds (a connection pool); the server closes a store it was given only
     * if the application says so. By default nothing.
     */
    @Override
    default void close() {
    }
}
