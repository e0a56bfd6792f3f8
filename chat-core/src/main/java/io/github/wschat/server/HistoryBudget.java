package io.github.wschat.server;

import com.google.common.base.Utf8;
import io.github.wschat.broker.RoomEvent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much history the rooms of this node keep in memory: at most {@code lines} lines and
 * {@code roomBytes} bytes per room, and {@code totalBytes} bytes over all rooms. A line's bytes are
 * its text's in UTF-8 (names, text, reason). Thread-safe: rooms count what they keep here.
 */
final class HistoryBudget {

    private final int lines;
    private final long roomBytes;
    private final long totalBytes;
    private final AtomicLong used = new AtomicLong();

    HistoryBudget(int lines, long roomBytes, long totalBytes) {
        this.lines = lines;
        this.roomBytes = roomBytes;
        this.totalBytes = totalBytes;
    }

    int lines() {
        return lines;
    }

    long roomBytes() {
        return roomBytes;
    }

    /** Counts bytes a room took (positive) or let go of (negative). */
    void add(long bytes) {
        used.addAndGet(bytes);
    }

    /** Whether the rooms together keep more than the total. */
    boolean overTotal() {
        return used.get() > totalBytes;
    }

    /** The bytes every room keeps now, for tests and metrics. */
    long used() {
        return used.get();
    }

    /** The bytes of an event's text in UTF-8. */
    static long sizeOf(RoomEvent event) {
        if (event instanceof RoomEvent.Message m) {
            return utf8(m.nick()) + utf8(m.text());
        } else if (event instanceof RoomEvent.Action a) {
            return utf8(a.nick()) + utf8(a.text());
        } else if (event instanceof RoomEvent.Joined j) {
            return utf8(j.nick());
        } else if (event instanceof RoomEvent.Left l) {
            return utf8(l.nick());
        } else if (event instanceof RoomEvent.Renamed r) {
            return utf8(r.from()) + utf8(r.to());
        } else if (event instanceof RoomEvent.Private p) {
            return utf8(p.from()) + utf8(p.to()) + utf8(p.text());
        } else if (event instanceof RoomEvent.Notice n) {
            return utf8(n.text());
        } else if (event instanceof RoomEvent.Removed r) {
            return utf8(r.nick()) + utf8(r.reason());
        } else if (event instanceof RoomEvent.Muted m) {
            return utf8(m.nick()) + utf8(m.reason());
        }
        return 0;
    }

    private static long utf8(String text) {
        return Utf8.encodedLength(text);
    }
}
