package io.github.wschat.bench;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The server a scenario runs against: one already running ({@code --url}, with {@code --server-pid}
 * for its CPU and heap), or, without {@code --url}, the demo jar started here on {@code --transport}
 * and stopped after the run.
 */
final class ServerChoice {

    /** A scenario, run against a room's URL. */
    interface Scenario<T> {
        T run(URI room, long serverPid, String serverName) throws Exception;
    }

    @Option(names = "--url", description = "A running server's room, e.g. ws://127.0.0.1:12345/chat; "
            + "without it the demo jar is started on --transport.")
    URI url;

    @Option(names = "--server-pid", defaultValue = "0",
            description = "The running server's PID (a JVM), for its CPU time and heap; with --url.")
    long serverPid;

    @Option(names = "--transport", defaultValue = "java-websocket",
            description = "Without --url: the demo's transport, java-websocket or netty (netty-io_uring, netty-epoll, netty-nio: on that I/O), jakarta-jetty for the demo in an embedded Jetty, jakarta-tomcat for the Spring "
                    + "Boot example, boot-netty for it with wschat.transport=netty (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--demo-jar", defaultValue = "chat-demo/target/chat-demo.jar",
            description = "Without --url: the demo jar (default: ${DEFAULT-VALUE}).")
    Path demoJar;

    @Option(names = "--example-jar", defaultValue = "chat-examples/spring-boot/target/chat-example-spring-boot.jar",
            description = "For jakarta-tomcat and boot-netty: the Spring Boot example's jar (default: ${DEFAULT-VALUE}).")
    Path exampleJar;

    @Option(names = "--heap", defaultValue = "1g", description = "Without --url: the server's heap (default: ${DEFAULT-VALUE}).")
    String heap;

    <T> T run(Scenario<T> scenario) throws Exception {
        if (url != null) {
            return scenario.run(url, serverPid, url.toString());
        }
        try (ServerUnderTest server = ServerUnderTest.wschat(demoJar, exampleJar, heap, transport)) {
            return scenario.run(server.url().resolve("/chat"), server.pid(), server.name());
        }
    }
}
