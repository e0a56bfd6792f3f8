package io.github.wschat.history.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store on H2 in file mode, the embedded default. */
class H2StoreTest extends StoreCases {

    @TempDir
    Path dir;

    @Override
    JdbcHistoryStore store() {
        return JdbcHistoryStore.open("jdbc:h2:file:" + dir.resolve("history").toAbsolutePath(), "sa", "");
    }
}
