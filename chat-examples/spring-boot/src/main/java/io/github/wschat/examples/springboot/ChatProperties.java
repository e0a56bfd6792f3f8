package io.github.wschat.examples.springboot;

import io.github.wschat.server.ChatServer;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chat's settings, from {@code chat.*} properties (application.properties, the command line, the
 * environment); the defaults are wschat's own.
 *
 * @param allowedOrigins browser origins that may connect: {@code same-origin} (the default) for the
 *     pages this application serves, {@code *} for any
 * @param history recent lines a joiner gets
 * @param announceJoins whether joins are announced to the room
 * @param ratePerSecond lines a second each member may send
 * @param rateBurst lines a member may send at once
 * @param maxConnections open connections at most
 * @param maxConnectionsPerAddress open connections from one address at most
 * @param maxOutboundBytes bytes that may wait for one member before it is dropped as too slow
 * @param pingInterval how often each member is pinged; 0 for never
 */
@ConfigurationProperties("chat")
record ChatProperties(
        @DefaultValue(ChatServer.Builder.SAME_ORIGIN) List<String> allowedOrigins,
        @DefaultValue("50") int history,
        @DefaultValue("true") boolean announceJoins,
        @DefaultValue("20") double ratePerSecond,
        @DefaultValue("40") int rateBurst,
        @DefaultValue("10000") int maxConnections,
        @DefaultValue("100") int maxConnectionsPerAddress,
        @DefaultValue("1048576") long maxOutboundBytes,
        @DefaultValue("30s") Duration pingInterval) {
}
