package io.github.wschat.boot;

import io.github.wschat.history.HistoryStore;
import io.github.wschat.history.InMemoryHistoryStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * {@code wschat.history-store}: {@code memory} keeps every line in this process while it runs;
 * {@code jdbc} in the application's {@link DataSource} (add io.github.wschat:chat-history-jdbc and a
 * driver), its tables made and migrated by the chat's own Flyway run with its own history table
 * ({@code wschat_schema_history}), beside whatever migrations the application runs. An application's
 * own {@link HistoryStore} bean is used as it is.
 */
@Configuration(proxyBeanMethods = false)
class WschatHistoryConfiguration {

    static final String JDBC_STORE = "io.github.wschat.history.jdbc.JdbcHistoryStore";

    /** The store in this process's memory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "wschat.history-store", havingValue = "memory")
    static class Memory {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(HistoryStore.class)
        HistoryStore wschatMemoryHistoryStore() {
            return new InMemoryHistoryStore();
        }
    }

    /** The store in the application's database. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "wschat.history-store", havingValue = "jdbc")
    static class Jdbc {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(HistoryStore.class)
        HistoryStore wschatJdbcHistoryStore(ObjectProvider<DataSource> dataSource) {
            if (!ClassUtils.isPresent(JDBC_STORE, getClass().getClassLoader())) {
                throw new InvalidConfigurationPropertyValueException("wschat.history-store", "jdbc",
                        "add io.github.wschat:chat-history-jdbc");
            }
            DataSource source = dataSource.getIfUnique();
            if (source == null) {
                throw new InvalidConfigurationPropertyValueException("wschat.history-store", "jdbc",
                        "the application has no DataSource: add spring-boot-starter-jdbc and spring.datasource.*");
            }
            return io.github.wschat.history.jdbc.JdbcHistoryStore.on(source, true);
        }
    }
}
