package io.github.wschat.server;

import java.util.function.Supplier;

/**
 * What every {@link Session} of a server shares: the rooms, the nicknames, the limits, the hooks, the
 * moderation and the role whose members may moderate, the metrics, the credentials' expiries.
 */
record SessionContext(Rooms rooms, NicknameRegistry nicknames, Supplier<FloodGuard> floodGuards, boolean announceJoins,
        LineFilters filters, Moderation moderation, String operatorRole, ChatMetrics metrics, Credentials credentials,
        ServerHistory history) {

    /** A context whose members' credentials never expire and cannot be refreshed. */
    SessionContext(Rooms rooms, NicknameRegistry nicknames, Supplier<FloodGuard> floodGuards, boolean announceJoins,
            LineFilters filters, Moderation moderation, String operatorRole, ChatMetrics metrics) {
        this(rooms, nicknames, floodGuards, announceJoins, filters, moderation, operatorRole, metrics,
                Credentials.NEVER_EXPIRE, new ServerHistory(null, java.time.Duration.ZERO));
    }
}
