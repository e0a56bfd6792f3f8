package io.github.wschat.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The auto-configuration's conditions and its refusals, without a web server. */
@ExtendWith(OutputCaptureExtension.class)
class WschatAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WschatAutoConfiguration.class, WschatHealthAutoConfiguration.class));

    /** The JWT part of the auto-configuration alone, with the properties it reads. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.context.properties.EnableConfigurationProperties(WschatProperties.class)
    @org.springframework.context.annotation.Import(WschatJwtConfiguration.class)
    static class JwtOnly {
    }

    @Test
    void withoutSpringSecurityAJwtKeyMakesTheMembersWhoTheirTokensSay() {
        ApplicationContextRunner withoutSecurity = new ApplicationContextRunner().withUserConfiguration(JwtOnly.class)
                .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
                        WschatSecurityConfiguration.FILTER_CHAIN));
        withoutSecurity.withPropertyValues("wschat.security.jwt.secret=a shared secret of thirty-two bytes or more",
                "wschat.security.jwt.audience=chat").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(io.github.wschat.server.HandshakeAuthenticator.class)
                            .isInstanceOf(io.github.wschat.auth.jwt.JwtAuthenticator.class);
                });
        withoutSecurity.withPropertyValues("wschat.security.jwt.secret=a shared secret of thirty-two bytes or more",
                "wschat.security.jwt.jwks-uri=http://127.0.0.1:1/jwks.json").run(context -> assertThat(
                        context.getStartupFailure()).rootCause().hasMessageContaining("one of secret, public-key and jwks-uri"));
        withoutSecurity.run(context -> assertThat(context)
                .doesNotHaveBean(io.github.wschat.server.HandshakeAuthenticator.class));
    }

    /** The history part of the auto-configuration alone, with an H2 data source of the application's. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.context.properties.EnableConfigurationProperties(WschatProperties.class)
    @org.springframework.context.annotation.Import(WschatHistoryConfiguration.class)
    static class HistoryOnly {
    }

    @Test
    void historyStoreJdbcKeepsLinesInTheApplicationsDataSourceMigratedByTheChatsOwnFlyway(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("app").toAbsolutePath());
        h2.setUser("sa");
        new ApplicationContextRunner().withUserConfiguration(HistoryOnly.class)
                .withBean(javax.sql.DataSource.class, () -> h2)
                .withPropertyValues("wschat.history-store=jdbc").run(context -> {
                    assertThat(context).hasNotFailed();
                    io.github.wschat.history.HistoryStore store = context.getBean(io.github.wschat.history.HistoryStore.class);
                    assertThat(store).isInstanceOf(io.github.wschat.history.jdbc.JdbcHistoryStore.class);
                    store.append(java.util.List.of(new io.github.wschat.app.PlacedEvent("lobby", "e", 1, 1,
                            new io.github.wschat.broker.RoomEvent.Message("ann", "kept", "id-ann"))));
                    assertThat(store.before("lobby", java.util.Optional.empty(), 10).events()).hasSize(1);
                });
        new ApplicationContextRunner().withUserConfiguration(HistoryOnly.class)
                .withPropertyValues("wschat.history-store=jdbc").run(context -> assertThat(context.getStartupFailure())
                        .rootCause().hasMessageContaining("no DataSource"));
        new ApplicationContextRunner().withUserConfiguration(HistoryOnly.class)
                .withPropertyValues("wschat.history-store=memory").run(context -> assertThat(context)
                        .getBean(io.github.wschat.history.HistoryStore.class)
                        .isInstanceOf(io.github.wschat.history.InMemoryHistoryStore.class));
        new ApplicationContextRunner().withUserConfiguration(HistoryOnly.class).run(context -> assertThat(context)
                .doesNotHaveBean(io.github.wschat.history.HistoryStore.class));
    }

    @Test
    void disabledThereIsNoChat() {
        runner.withPropertyValues("wschat.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ChatServer.class);
            assertThat(context).doesNotHaveBean(WschatProperties.class);
        });
    }

    @Test
    void aValueTheChatRefusesFailsTheStartNamingItsProperty() {
        runner.withPropertyValues("wschat.history=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("wschat.history");
        });
        runner.withPropertyValues("wschat.formats=json").run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining("wschat.formats")
                .hasMessageContaining("empty subprotocol"));
        runner.withPropertyValues("wschat.rate.burst=0").run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("wschat.rate.burst"));
        runner.withPropertyValues("wschat.path=/chat/").run(context -> assertThat(context.getStartupFailure())
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("wschat.path").hasMessageContaining("a chat path is"));
        runner.withPropertyValues("wschat.formats=plain,xml").run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("wschat.formats").hasMessageContaining("plain or json"));
    }

    @Test
    void withoutAServletContainerNothingRunsAndTheLogSaysWhy(CapturedOutput output) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WschatAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ChatServer.class);
                    assertThat(context).doesNotHaveBean(Transport.class);
                    assertThat(output).contains("wschat: no chat runs: this application has no servlet web server")
                            .contains("wschat.transport=netty");
                });
    }

    @Test
    void aTransportOfItsOwnRunsWithoutAServletContainer() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WschatAutoConfiguration.class))
                .withPropertyValues("wschat.transport=netty", "wschat.port=0", "wschat.address=127.0.0.1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(ChatServer.class).extracting(ChatServer::transportName).isEqualTo("netty");
                    assertThat(context.getEnvironment().getProperty("local.wschat.port"))
                            .isEqualTo(Integer.toString(context.getBean(ChatServer.class).address().getPort()));
                });
    }

    @Test
    void anUnknownTransportFailsTheStartNamingTheOnesThereAre() {
        runner.withPropertyValues("wschat.transport=carrier-pigeon").run(context -> assertThat(context.getStartupFailure())
                .rootCause().isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("wschat.transport").hasMessageContaining("netty"));
        runner.withPropertyValues("wschat.transport=netty", "wschat.port=70000").run(context -> assertThat(
                context.getStartupFailure()).rootCause().hasMessageContaining("wschat.port"));
    }

    @Test
    void theApplicationsOwnTransportIsUsed() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WschatAutoConfiguration.class))
                .withBean(Transport.class, () -> Transports.named("java-websocket"))
                .withPropertyValues("wschat.announce-joins=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(ChatServer.class).extracting(ChatServer::transportName)
                            .isEqualTo("java-websocket");
                });
    }

    @Test
    void theApplicationsOwnChatServerReplacesItAll() throws Exception {
        try (ChatServer own = ChatServer.builder().transport("java-websocket").host("127.0.0.1").port(0).start()) {
            runner.withBean(ChatServer.class, () -> own).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).getBean(ChatServer.class).isSameAs(own);
                assertThat(context).hasBean("wschatHealthIndicator");
            });
        }
    }
}
