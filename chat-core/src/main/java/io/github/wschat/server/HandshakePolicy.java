package io.github.wschat.server;

import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may open a connection: the path must name a room, the Origin must be allowed, and the server
 * and the peer's address must be under their connection limits. The counts are of open connections
 * and are checked at handshake time, so handshakes in flight at the same moment may pass a limit by
 * as many as the transport decodes at once. Thread-safe.
 */
final class HandshakePolicy {

    static final String ANY_ORIGIN = "*";

    private final Set<String> allowedOrigins;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentMap<InetAddress, Integer> openPerAddress = new ConcurrentHashMap<>();

    HandshakePolicy(Set<String> allowedOrigins, int maxConnections, int maxConnectionsPerAddress) {
        this.allowedOrigins = Set.copyOf(allowedOrigins.stream().map(HandshakePolicy::normalize).toList());
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    Admission admit(Handshake handshake) {
        if (RoomPaths.roomOf(handshake.path()).isEmpty()) {
            return RoomPaths.namesARoom(handshake.path())
                    ? Admission.refuse(400, "a room name is " + RoomPaths.RULE + ": " + handshake.path())
                    : Admission.refuse(404, "no room at " + handshake.path() + "; use /, /chat or /chat/{room}");
        }
        String origin = handshake.header("Origin").orElse(null);
        if (origin != null && !allowedOrigins.contains(ANY_ORIGIN) && !allowedOrigins.contains(normalize(origin))) {
            return Admission.refuse(403, "origin not allowed: " + origin);
        }
        if (open.get() >= maxConnections) {
            return Admission.refuse(503, "server full: " + maxConnections + " connections");
        }
        InetAddress address = handshake.remoteAddress().getAddress();
        if (address != null && openPerAddress.getOrDefault(address, 0) >= maxConnectionsPerAddress) {
            return Admission.refuse(429, "too many connections from " + address.getHostAddress());
        }
        return Admission.accept();
    }

    /** Counts the connection until it closes. */
    void track(Connection connection) {
        open.incrementAndGet();
        InetAddress address = connection.handshake().remoteAddress().getAddress();
        if (address != null) {
            openPerAddress.merge(address, 1, Integer::sum);
        }
        connection.onClose((code, reason) -> {
            open.decrementAndGet();
            if (address != null) {
                openPerAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
            }
        });
    }
}
