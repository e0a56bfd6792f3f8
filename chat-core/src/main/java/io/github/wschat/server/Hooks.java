package io.github.wschat.server;

import io.github.wschat.app.AsyncJoinHook;
import io.github.wschat.app.ChatListener;
import io.github.wschat.app.JoinHook;
import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import java.time.Duration;
import java.util.List;

/**
 * The application's hooks, as {@link ChatServer.Builder} collected them: who may join which room (at
 * the handshake, and asynchronously after it, with a deadline),
 * which lines pass (with the filters' deadline and the verdict for a line past it), and who listens to
 * every placed event.
 */
record Hooks(List<JoinHook> joins, List<AsyncJoinHook> asyncJoins, Duration joinDeadline, List<LineFilter> lines,
        Duration deadline, LineVerdict whenLate, List<ChatListener> listeners) {

    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(2);
    static final Duration DEFAULT_JOIN_DEADLINE = Duration.ofSeconds(5);
    static final LineVerdict LATE = LineVerdict.refuse("that line could not be checked in time, so it was not sent.");

    Hooks {
        joins = List.copyOf(joins);
        asyncJoins = List.copyOf(asyncJoins);
        lines = List.copyOf(lines);
        listeners = List.copyOf(listeners);
    }

    AsyncJoins asyncJoinChain() {
        return new AsyncJoins(asyncJoins, joinDeadline);
    }

    LineFilters lineFilters() {
        return new LineFilters(lines, deadline, whenLate);
    }
}
