package io.github.wschat.history.jdbc;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.EventParts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
     * PostgreSQL: the whole batch as nine array parameters of one statement, the same text for every
     * batch (prepared once per connection, nothing rewritten per size): half the client's CPU per row
     * of a batch of single-row inserts, and a fraction of the server's parsing.
     */
    private static final String INSERT_UNNEST = "INSERT INTO wschat_events (room, epoch, seq, time_ms, kind, a, b, c, author) "
            + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[], ?::char(1)[], ?::varchar[], "
            + "?::varchar[], ?::varchar[], ?::varchar[]) ON CONFLICT DO NOTHING";

    static void insertUnnest(Connection connection, List<PlacedEvent> events) throws SQLException {
        int n = events.size();
        String[] rooms = new String[n];
        String[] epochs = new String[n];
        long[] seqs = new long[n];
        long[] times = new long[n];
        String[] kinds = new String[n];
        String[] as = new String[n];
        String[] bs = new String[n];
        String[] cs = new String[n];
        String[] authors = new String[n];
        for (int i = 0; i < n; i++) {
            PlacedEvent event = events.get(i);
            EventParts parts = EventParts.of(event.event());
            String author = event.event().author();
            rooms[i] = event.room();
            epochs[i] = event.epoch();
            seqs[i] = event.sequence();
            times[i] = event.time();
            kinds[i] = parts.kind();
            as[i] = parts.a();
            bs[i] = parts.b();
            // A line's third part is its author, kept in a column of its own (indexed, for forget).
            cs[i] = author.isEmpty() ? parts.c() : "";
            authors[i] = author;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_UNNEST)) {
            // Java arrays as they are: the driver sends the numbers' in binary, and skips the
            // java.sql.Array it would otherwise build (and box the numbers for) per column.
            insert.setObject(1, rooms);
            insert.setObject(2, epochs);
            insert.setObject(3, seqs);
            insert.setObject(4, times);
            insert.setObject(5, kinds);
            insert.setObject(6, as);
            insert.setObject(7, bs);
            insert.setObject(8, cs);
            insert.setObject(9, authors);
            insert.executeUpdate();
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
