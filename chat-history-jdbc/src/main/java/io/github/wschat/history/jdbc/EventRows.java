package io.github.wschat.history.jdbc;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.EventParts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of events as rows of {@code wschat_events}, each once per (room, epoch, seq): on PostgreSQL
 * one statement of arrays, elsewhere (H2) a batch of MERGEs. A line's author goes in a column of its
 * own (indexed, for forgetting). Runs in the caller's transaction. Stateless.
 */
final class EventRows {

    private EventRows() {
    }

    /**
     * PostgreSQL: the whole batch as array parameters of one statement, the same text for every batch
     * (prepared once per connection, nothing rewritten per size): half the client's CPU per row of a
     * batch of single-row inserts, and a fraction of the server's parsing. A batch's rows mostly share
     * a room and an epoch: each distinct pair is sent once, and a row names its pair by number (an
     * {@code int}, in binary); the one-letter kinds go as one string, split into letters by the server.
     */
    private static final String INSERT_UNNEST = "INSERT INTO wschat_events (room, epoch, seq, time_ms, kind, a, b, c, author) "
            + "SELECT p.r[x.i], p.e[x.i], x.seq, x.t, x.k, x.a, x.b, x.c, x.u "
            + "FROM (SELECT ?::varchar[] AS r, ?::varchar[] AS e) p, "
            + "unnest(?::int[], ?::bigint[], ?::bigint[], string_to_array(?, NULL)::char(1)[], ?::varchar[], ?::varchar[], "
            + "?::varchar[], ?::varchar[]) AS x(i, seq, t, k, a, b, c, u) ON CONFLICT DO NOTHING";

    static void insertUnnest(Connection connection, List<PlacedEvent> events) throws SQLException {
        Columns columns = new Columns(events.size());
        for (PlacedEvent event : events) {
            columns.add(event);
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_UNNEST)) {
            // Java arrays as they are: the driver sends the numbers in binary, and skips the
            // java.sql.Array it would otherwise build (and box the numbers for) per column.
            insert.setObject(1, columns.rooms.toArray(new String[0]));
            insert.setObject(2, columns.epochs.toArray(new String[0]));
            insert.setObject(3, columns.places);
            insert.setObject(4, columns.seqs);
            insert.setObject(5, columns.times);
            insert.setString(6, columns.kinds.toString());
            insert.setObject(7, columns.as);
            insert.setObject(8, columns.bs);
            insert.setObject(9, columns.cs);
            insert.setObject(10, columns.authors);
            insert.executeUpdate();
        }
    }

    /**
     * A batch's columns for {@link #INSERT_UNNEST}, filled a row at a time by {@link #add}: a method
     * called once a row, which the JIT compiles fully within seconds — a loop in a method that runs a
     * few times a second stays interpreted, then in C1's profiling tier, for minutes.
     */
    private static final class Columns {
        final List<String> rooms = new ArrayList<>(2);
        final List<String> epochs = new ArrayList<>(2);
        final int[] places;
        final long[] seqs;
        final long[] times;
        final StringBuilder kinds;
        final String[] as;
        final String[] bs;
        final String[] cs;
        final String[] authors;
        private int n;
        /** The number of the last row's room and epoch pair; 0 before the first row. */
        private int place;

        Columns(int size) {
            places = new int[size];
            seqs = new long[size];
            times = new long[size];
            kinds = new StringBuilder(size);
            as = new String[size];
            bs = new String[size];
            cs = new String[size];
            authors = new String[size];
        }

        void add(PlacedEvent event) {
            if (place == 0 || !event.room().equals(rooms.get(place - 1)) || !event.epoch().equals(epochs.get(place - 1))) {
                place = placeOf(event.room(), event.epoch());
            }
            EventParts parts = EventParts.of(event.event());
            String author = event.event().author();
            if (parts.kind().length() != 1) {
                throw new IllegalArgumentException("not a one-letter kind: " + parts.kind());
            }
            int i = n++;
            places[i] = place;
            seqs[i] = event.sequence();
            times[i] = event.time();
            kinds.append(parts.kind());
            as[i] = parts.a();
            bs[i] = parts.b();
            // A line's third part is its author, kept in a column of its own (indexed, for forget).
            cs[i] = author.isEmpty() ? parts.c() : "";
            authors[i] = author;
        }

        /** The number (from 1, as SQL arrays count) of a room and epoch pair, added if new. */
        private int placeOf(String room, String epoch) {
            for (int i = 0; i < rooms.size(); i++) {
                if (rooms.get(i).equals(room) && epochs.get(i).equals(epoch)) {
                    return i + 1;
                }
            }
            rooms.add(room);
            epochs.add(epoch);
            return rooms.size();
        }
    }

    static void insertBatch(Connection connection, List<PlacedEvent> events) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertEvent())) {
            for (PlacedEvent event : events) {
                EventParts parts = EventParts.of(event.event());
                String author = event.event().author();
                insert.setString(1, event.room());
                insert.setString(2, event.epoch());
                insert.setLong(3, event.sequence());
                insert.setLong(4, event.time());
                insert.setString(5, parts.kind());
                insert.setString(6, parts.a());
                insert.setString(7, parts.b());
                insert.setString(8, author.isEmpty() ? parts.c() : "");
                insert.setString(9, author);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Elsewhere (H2): the SQL standard's MERGE, a row at a time in one batch. */
    private static String insertEvent() {
        return "MERGE INTO wschat_events t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(32)), CAST(? AS BIGINT), "
                        + "CAST(? AS BIGINT), CAST(? AS CHAR(1)), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
                        + "CAST(? AS VARCHAR(255)))) s (room, epoch, seq, time_ms, kind, a, b, c, author) "
                        + "ON t.room = s.room AND t.epoch = s.epoch AND t.seq = s.seq "
                        + "WHEN NOT MATCHED THEN INSERT (room, epoch, seq, time_ms, kind, a, b, c, author) "
                        + "VALUES (s.room, s.epoch, s.seq, s.time_ms, s.kind, s.a, s.b, s.c, s.author)";
    }
}
