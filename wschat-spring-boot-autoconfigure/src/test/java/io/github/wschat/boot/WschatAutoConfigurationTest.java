package io.github.wschat.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wschat.server.ChatServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The auto-configuration's conditions and its refusals, without a web server. */
class WschatAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WschatAutoConfiguration.class, WschatHealthAutoConfiguration.class));

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
        runner.withPropertyValues("wschat.formats=plain,xml").run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("wschat.formats").hasMessageContaining("plain or json"));
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
