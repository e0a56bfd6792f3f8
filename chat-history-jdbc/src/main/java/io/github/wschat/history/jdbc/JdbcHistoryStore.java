package io.github.wschat.history.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.EventParts;
import io.github.wschat.history.HistoryPage;
import io.github.wschat.history.HistoryStore;
import io.github.wschat.history.HistoryStoreException;
import io.github.wschat.history.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HistoryStore} in a relational database, on plain JDBC: tested on PostgreSQL (15) and H2
 * (2.x, in file mode: the embedded default, no server to run).
 *
 * <pre>{@code
 * JdbcHistoryStore store = JdbcHistoryStore.open("jdbc:postgresql://db:5432/chat", "chat", secret);
 * ChatServer.builder().historyStore(store)...
 * }</pre>
 *
 * <h2>Schema</h2>
 * Two tables, {@code wschat_events} (one row per public event, primary key {@code (room, epoch, seq)},
 * indexes on {@code author} and {@code time_ms}) and {@code wschat_epochs} (each room's epochs and the
 * time of the earliest event kept of each, which orders them), made and migrated by Flyway from the
 * versioned migrations in this jar ({@code classpath:db/wschat}, history table
 * {@code wschat_schema_history}, so they live beside an application's own migrations).
 * {@link #open} runs them; {@link #on(DataSource, boolean)} runs them or leaves them to the
 * application's Flyway (add {@code classpath:db/wschat} to its locations).
 *
 * <h2>Writes</h2>
 * One batch per {@link #append}: on PostgreSQL one {@code INSERT … ON CONFLICT DO NOTHING} from
 * {@code unnest} of arrays (the batch's rooms and epochs sent once each, a row naming its pair by
 * number; safe when two nodes write the same event at once; one statement whatever the batch's size,
 * atomic on its own, so one round trip — a transaction only when a room's new epoch is recorded with
 * it), elsewhere the SQL standard's {@code MERGE … WHEN NOT MATCHED THEN INSERT} in one transaction
 * (H2). Pages are indexed queries on the primary key.
 *
 * <p>Thread-safe (a connection per call, from the pool).
 */
public final class JdbcHistoryStore implements HistoryStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcHistoryStore.class);
    /** Where the migrations are, for an application's own Flyway. */
    public static final String MIGRATIONS = "classpath:db/wschat";
    /** The Flyway history table of these migrations. */
    public static final String SCHEMA_HISTORY = "wschat_schema_history";

    private final DataSource dataSource;
    private final HikariDataSource owned;
    private final boolean postgres;
    /** Which epochs' rows this store has written: a batch of a known epoch leaves wschat_epochs alone. */
    private final KnownEpochs knownEpochs = new KnownEpochs();

    private JdbcHistoryStore(DataSource dataSource, HikariDataSource owned) {
        this.dataSource = dataSource;
        this.owned = owned;
        try (Connection connection = dataSource.getConnection()) {
            this.postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new HistoryStoreException("the history database cannot be reached", e);
        }
    }

    /**
     * A store on its own connection pool (HikariCP, at most 4 connections), its schema made or migrated
     * first.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/chat} or {@code jdbc:h2:file:./wschat-history}
     * @param user the database user; may be empty
     * @param password its password; may be empty
     * @return the store; close it to close the pool
     * @throws HistoryStoreException if the database cannot be reached or migrated
     */
    public static JdbcHistoryStore open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        config.setUsername(Objects.requireNonNull(user, "user"));
        config.setPassword(Objects.requireNonNull(password, "password"));
        config.setMaximumPoolSize(4);
        config.setPoolName("wschat-history");
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(5_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new HistoryStoreException("the history database cannot be reached: " + e.getMessage(), e);
        }
        try {
            migrate(pool);
            return new JdbcHistoryStore(pool, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * A store on the application's data source (say, Spring Boot's); the application closes it.
     *
     * @param dataSource the data source
     * @param migrate whether to make or migrate the schema now (false where the application's own
     *     Flyway runs {@link #MIGRATIONS})
     * @return the store
     * @throws HistoryStoreException if the database cannot be reached or migrated
     */
    public static JdbcHistoryStore on(DataSource dataSource, boolean migrate) {
        if (migrate) {
            migrate(dataSource);
        }
        return new JdbcHistoryStore(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /** Makes or migrates the schema, with Flyway, from this jar's migrations. */
    static void migrate(DataSource dataSource) {
        try {
            var result = Flyway.configure(JdbcHistoryStore.class.getClassLoader()).dataSource(dataSource)
                    .locations(MIGRATIONS).table(SCHEMA_HISTORY).baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
            if (result.migrationsExecuted > 0) {
                log.info("History schema migrated to version {} ({} migrations)", result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
        } catch (RuntimeException e) {
            throw new HistoryStoreException("the history schema could not be migrated: " + e.getMessage(), e);
        }
    }

    private String upsertEpoch() {
        return postgres
                ? "INSERT INTO wschat_epochs (room, epoch, first_time) VALUES (?, ?, ?) ON CONFLICT (room, epoch) "
                        + "DO UPDATE SET first_time = LEAST(wschat_epochs.first_time, EXCLUDED.first_time)"
                : "MERGE INTO wschat_epochs t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(32)), CAST(? AS BIGINT))) "
                        + "s (room, epoch, first_time) ON t.room = s.room AND t.epoch = s.epoch "
                        + "WHEN MATCHED AND s.first_time < t.first_time THEN UPDATE SET first_time = s.first_time "
                        + "WHEN NOT MATCHED THEN INSERT (room, epoch, first_time) VALUES (s.room, s.epoch, s.first_time)";
    }

    @Override
    public void append(List<PlacedEvent> events) {
        for (int attempt = 1; ; attempt++) {
            try {
                appendOnce(events);
                return;
            } catch (HistoryStoreException e) {
                // MERGE (H2) is not safe against a concurrent insert of the same key: the other writer's
                // rows are in now, and the next attempt matches them.
                if (attempt == 3 || !(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private void appendOnce(List<PlacedEvent> events) {
        BatchPlan plan = BatchPlan.of(events, knownEpochs);
        List<PlacedEvent> kept = plan.kept;
        Map<String, Long> epochs = plan.epochs;
        if (kept.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (postgres && epochs.isEmpty()) {
                // One statement, atomic on its own: no transaction to begin and commit, one round trip.
                connection.setAutoCommit(true);
                EventRows.insertUnnest(connection, kept);
                return;
            }
            connection.setAutoCommit(false);
            try {
                if (postgres) {
                    EventRows.insertUnnest(connection, kept);
                } else {
                    EventRows.insertBatch(connection, kept);
                }
                if (!epochs.isEmpty()) {
                    try (PreparedStatement epoch = connection.prepareStatement(upsertEpoch())) {
                        for (Map.Entry<String, Long> first : epochs.entrySet()) {
                            int cut = first.getKey().indexOf('\n');
                            epoch.setString(1, first.getKey().substring(0, cut));
                            epoch.setString(2, first.getKey().substring(cut + 1));
                            epoch.setLong(3, first.getValue());
                            epoch.addBatch();
                        }
                        epoch.executeBatch();
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new HistoryStoreException("the history database did not take " + events.size() + " events", e);
        }
        // Committed: later batches of these epochs need not touch their rows again (events come in order).
        knownEpochs.written(epochs);
    }

    private static final String COLUMNS = "e.epoch, e.seq, e.time_ms, e.kind, e.a, e.b, e.c, e.author";

    @Override
    public HistoryPage before(String room, Optional<Position> before, int limit) {
        int cap = Math.max(1, Math.min(limit, MAX_PAGE));
        try (Connection connection = dataSource.getConnection()) {
            List<PlacedEvent> newestFirst;
            if (before.isEmpty()) {
                newestFirst = query(connection, room, "SELECT " + COLUMNS + " FROM wschat_events e JOIN wschat_epochs p "
                        + "ON p.room = e.room AND p.epoch = e.epoch WHERE e.room = ? "
                        + "ORDER BY p.first_time DESC, e.epoch DESC, e.seq DESC LIMIT ?", statement -> {
                            statement.setString(1, room);
                            statement.setInt(2, cap + 1);
                        });
            } else {
                Optional<Long> first = firstTime(connection, room, before.get().epoch());
                if (first.isEmpty()) {
                    return HistoryPage.EMPTY;
                }
                Position from = before.get();
                newestFirst = query(connection, room, "SELECT " + COLUMNS + " FROM wschat_events e JOIN wschat_epochs p "
                        + "ON p.room = e.room AND p.epoch = e.epoch WHERE e.room = ? AND (p.first_time < ? "
                        + "OR (p.first_time = ? AND e.epoch < ?) OR (e.epoch = ? AND e.seq < ?)) "
                        + "ORDER BY p.first_time DESC, e.epoch DESC, e.seq DESC LIMIT ?", statement -> {
                            statement.setString(1, room);
                            statement.setLong(2, first.get());
                            statement.setLong(3, first.get());
                            statement.setString(4, from.epoch());
                            statement.setString(5, from.epoch());
                            statement.setLong(6, from.sequence());
                            statement.setInt(7, cap + 1);
                        });
            }
            boolean more = newestFirst.size() > cap;
            List<PlacedEvent> page = new ArrayList<>(Math.min(cap, newestFirst.size()));
            for (int i = Math.min(cap, newestFirst.size()) - 1; i >= 0; i--) {
                page.add(newestFirst.get(i));
            }
            return new HistoryPage(page, more);
        } catch (SQLException e) {
            throw new HistoryStoreException("the history database did not answer", e);
        }
    }

    @Override
    public HistoryPage after(String room, Position after, int limit) {
        int cap = Math.max(1, Math.min(limit, MAX_PAGE));
        try (Connection connection = dataSource.getConnection()) {
            Optional<Long> first = firstTime(connection, room, after.epoch());
            if (first.isEmpty()) {
                return HistoryPage.EMPTY;
            }
            List<PlacedEvent> events = query(connection, room, "SELECT " + COLUMNS + " FROM wschat_events e JOIN wschat_epochs p "
                    + "ON p.room = e.room AND p.epoch = e.epoch WHERE e.room = ? AND (p.first_time > ? "
                    + "OR (p.first_time = ? AND e.epoch > ?) OR (e.epoch = ? AND e.seq > ?)) "
                    + "ORDER BY p.first_time, e.epoch, e.seq LIMIT ?", statement -> {
                        statement.setString(1, room);
                        statement.setLong(2, first.get());
                        statement.setLong(3, first.get());
                        statement.setString(4, after.epoch());
                        statement.setString(5, after.epoch());
                        statement.setLong(6, after.sequence());
                        statement.setInt(7, cap + 1);
                    });
            boolean more = events.size() > cap;
            return new HistoryPage(more ? events.subList(0, cap) : events, more);
        } catch (SQLException e) {
            throw new HistoryStoreException("the history database did not answer", e);
        }
    }

    private static Optional<Long> firstTime(Connection connection, String room, String epoch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT first_time FROM wschat_epochs WHERE room = ? AND epoch = ?")) {
            statement.setString(1, room);
            statement.setString(2, epoch);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Sets a statement's parameters. */
    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    private static List<PlacedEvent> query(Connection connection, String room, String sql, Parameters parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            List<PlacedEvent> events = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    String kind = row.getString(4).trim();
                    boolean line = kind.equals("m") || kind.equals("a");
                    events.add(new PlacedEvent(room, row.getString(1), row.getLong(2), row.getLong(3),
                            new EventParts(kind, row.getString(5), row.getString(6), line ? row.getString(8) : row.getString(7))
                                    .event()));
                }
            }
            return events;
        }
    }

    /** Deletes the lines: erased, not redacted; their positions become gaps in the room's history. */
    @Override
    public long forget(String author) {
        if (Objects.requireNonNull(author, "author").isEmpty()) {
            return 0;
        }
        return update("DELETE FROM wschat_events WHERE author = ?", statement -> statement.setString(1, author));
    }

    @Override
    public long expire(Instant instant) {
        long cut = instant.toEpochMilli();
        long deleted = update("DELETE FROM wschat_events WHERE time_ms < ?", statement -> statement.setLong(1, cut));
        update("DELETE FROM wschat_epochs WHERE NOT EXISTS (SELECT 1 FROM wschat_events e "
                + "WHERE e.room = wschat_epochs.room AND e.epoch = wschat_epochs.epoch)", statement -> { });
        knownEpochs.forget();
        return deleted;
    }

    private long update(String sql, Parameters parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            return statement.executeLargeUpdate();
        } catch (SQLException e) {
            throw new HistoryStoreException("the history database did not answer", e);
        }
    }

    /** Closes the pool {@link #open} made; a data source of the application's is left open. */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
