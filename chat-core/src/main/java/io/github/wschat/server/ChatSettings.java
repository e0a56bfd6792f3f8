package io.github.wschat.server;

import io.github.wschat.broker.Broker;
import io.github.wschat.protocol.WireFormat;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;

/**
 * The chat's own settings, as {@link ChatServer.Builder} validated them; the transport's are in
 * {@link io.github.wschat.spi.TransportOptions}. {@code broker} and {@code meterRegistry} are null when
 * not given (an in-process broker; no metrics).
 */
record ChatSettings(RoomPaths paths, Set<String> allowedOrigins, int maxConnections, int maxConnectionsPerAddress,
        int maxConnectionsPerIdentity,
        double ratePerSecond, int rateBurst, int maxRooms, int historySize, long historyBytes, long historyBytesTotal, boolean announceJoins,
        java.time.Duration leaveGrace,
        List<WireFormat> wireFormats, HandshakeAuthenticator authenticator, Hooks hooks, String operatorRole, Broker broker,
        MeterRegistry meterRegistry, io.github.wschat.history.HistoryStore historyStore,
        java.time.Duration historyRetention, java.util.Map<String, io.github.wschat.app.EventSink> eventSinks) {
}
