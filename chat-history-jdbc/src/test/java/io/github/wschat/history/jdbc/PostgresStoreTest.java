package io.github.wschat.history.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/** The store on a real PostgreSQL server of the test's own. */
class PostgresStoreTest extends StoreCases {

    private static PostgresServer postgres;
    private static int databases;
    private String url;

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * A database of each test's own, so that each starts empty; the server is started by the first test
     * (in a {@code @BeforeAll}, a missing PostgreSQL would make the tests vanish from the report rather
     * than show each skipped with the install hint).
     */
    @BeforeEach
    void freshDatabase() throws Exception {
        PostgresServer.requireInstalled();
        if (postgres == null) {
            postgres = PostgresServer.start();
        }
        String name = "t" + (++databases);
        try (var connection = java.sql.DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
                var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        url = postgres.jdbcUrl().replace("/postgres", "/" + name);
    }

    @Override
    JdbcHistoryStore store() {
        return JdbcHistoryStore.open(url, postgres.user(), "");
    }
}
