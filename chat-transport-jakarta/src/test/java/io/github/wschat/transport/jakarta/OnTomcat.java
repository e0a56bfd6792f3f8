package io.github.wschat.transport.jakarta;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A test that runs in embedded Tomcat: only on the class path of the module's {@code tomcat} test
 * execution (Tomcat's jars carry the Jakarta API classes; the default execution has Jetty and the
 * API jars instead). Run alone ({@code -Dtest=SeedChatOnTomcatTest}), such a test is picked by both
 * executions: the default one skips it, the {@code tomcat} one runs it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf(value = "io.github.wschat.transport.jakarta.TomcatClassPath#present",
        disabledReason = "runs in the tomcat execution, on Tomcat's class path")
@interface OnTomcat {
}
