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
    static final String SAME_ORIGIN = "same-origin";

    private final Set<String> allowedOrigins;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentMap<InetAddress, Integer> openPerAddress = new ConcurrentHashMap<>();

    private final RoomPaths paths;

    HandshakePolicy(Set<String> allowedOrigins, int maxConnections, int maxConnectionsPerAddress) {
        this(RoomPaths.DEFAULT, allowedOrigins, maxConnections, maxConnectionsPerAddress);
    }

    HandshakePolicy(RoomPaths paths, Set<String> allowedOrigins, int maxConnections, int maxConnectionsPerAddress) {
        this.paths = paths;
        this.allowedOrigins = Set.copyOf(allowedOrigins.stream().map(HandshakePolicy::normalize).toList());
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    /**
     * Whether the Origin names the host and port the request was sent to (its Host header): a page the
     * same server served. Default ports (80, 443) are implied where either leaves them out.
     */
    static boolean sameOrigin(String origin, String host) {
        String normalized = normalize(origin);
        int scheme = normalized.indexOf("://");
        if (scheme < 0 || host.isBlank()) {
            return false;
        }
        String defaultPort = normalized.startsWith("https://") ? ":443" : ":80";
        return withPort(normalized.substring(scheme + 3), defaultPort)
                .equals(withPort(host.trim().toLowerCase(Locale.ROOT), defaultPort));
    }

    private static String withPort(String authority, String defaultPort) {
        boolean hasPort = authority.lastIndexOf(':') > authority.lastIndexOf(']');
        return hasPort ? authority : authority + defaultPort;
    }

    /** Where the rooms are. */
    RoomPaths paths() {
        return paths;
    }

    Admission admit(Handshake handshake) {
        if (paths.roomOf(handshake.path()).isEmpty()) {
            return paths.namesARoom(handshake.path())
                    ? Admission.refuse(400, "a room name is " + RoomPaths.RULE + ": " + handshake.path())
                    : Admission.refuse(404, "no room at " + handshake.path() + "; use /, " + paths.base() + " or "
                            + paths.base() + "/{room}");
        }
        String origin = handshake.header("Origin").orElse(null);
        if (origin != null && !allowedOrigins.contains(ANY_ORIGIN) && !allowedOrigins.contains(normalize(origin))
                && !(allowedOrigins.contains(SAME_ORIGIN) && sameOrigin(origin, handshake.header("Host").orElse("")))) {
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
