package io.github.wschat.server;

import java.util.function.Supplier;

/**
 * What every {@link Session} of a server shares: the rooms, the nicknames, the limits, the hooks, the
 * moderation and the role whose members may moderate, the metrics.
 */
record SessionContext(Rooms rooms, NicknameRegistry nicknames, Supplier<FloodGuard> floodGuards, boolean announceJoins,
        LineFilters filters, Moderation moderation, String operatorRole, ChatMetrics metrics) {
}
