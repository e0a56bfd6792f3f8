package io.github.wschat.server;

import io.github.wschat.app.AsyncJoinHook;
import io.github.wschat.app.ChatListener;
import io.github.wschat.app.JoinHook;
import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import io.github.wschat.broker.Broker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The part of {@link ChatServer.Builder} that programs the chat rather than configures it: join hooks
 * (at the handshake and asynchronous),
 * line filters and their deadline, listeners, the operators' role. Its methods are the builder's (they
 * return it); it is a class of its own so that each reads in one sitting. Not thread-safe.
 */
abstract class ProgramSettings {

    private final List<JoinHook> joinHooks = new ArrayList<>();
    private final List<AsyncJoinHook> asyncJoinHooks = new ArrayList<>();
    private Duration asyncJoinDeadline = Hooks.DEFAULT_JOIN_DEADLINE;
    private final List<LineFilter> lineFilters = new ArrayList<>();
    private Duration lineFilterDeadline = Hooks.DEFAULT_DEADLINE;
    private LineVerdict whenLate = Hooks.LATE;
    private String operatorRole = "operator";
    private final List<ChatListener> listeners = new ArrayList<>();

    ProgramSettings() {
    }

    /** The builder these settings are part of. */
    abstract ChatServer.Builder self();

    /**
     * Adds a hook that decides who may enter which room, after the authenticator; hooks run in
     * the order added and the first refusal answers the handshake. See {@link JoinHook}.
     *
     * @param hook the hook
     * @return this builder
     */
    public ChatServer.Builder joinHook(JoinHook hook) {
        joinHooks.add(Objects.requireNonNull(hook, "hook"));
        return self();
    }

    /**
     * Adds a hook that decides who may enter which room by asking something that answers later (a
     * backend over HTTP): asked once the connection is open, before it joins; hooks run in the order
     * added, after the {@linkplain #joinHook synchronous ones}, and the first refusal closes the
     * connection. See {@link AsyncJoinHook} for what the client sees.
     *
     * @param hook the hook
     * @return this builder
     */
    public ChatServer.Builder asyncJoinHook(AsyncJoinHook hook) {
        asyncJoinHooks.add(Objects.requireNonNull(hook, "hook"));
        return self();
    }

    /**
     * How long the {@linkplain #asyncJoinHook asynchronous join hooks} may take to decide; a
     * connection past it is refused with 1013 (try again later). Default 5 s.
     *
     * @param deadline how long, positive
     * @return this builder
     */
    public ChatServer.Builder asyncJoinDeadline(Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the deadline must be positive: " + deadline);
        }
        this.asyncJoinDeadline = deadline;
        return self();
    }

    /**
     * Adds a filter that decides about every line (message, action, private line, rename) before
     * it is placed; filters run in the order added. See {@link LineFilter} for threads and order.
     * Without filters a line is placed at once, at no cost.
     *
     * @param filter the filter
     * @return this builder
     */
    public ChatServer.Builder lineFilter(LineFilter filter) {
        lineFilters.add(Objects.requireNonNull(filter, "filter"));
        return self();
    }

    /**
     * How long the line filters may take to decide about a line, and what happens to a line past
     * it. Default 2 s, and such a line is refused ("could not be checked in time").
     *
     * @param deadline how long, positive
     * @param whenLate {@link LineVerdict#accept()} to place a late line as it is, or a refusal whose
     *     reason the sender is told
     * @return this builder
     */
    public ChatServer.Builder lineFilterDeadline(Duration deadline, LineVerdict whenLate) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the deadline must be positive: " + deadline);
        }
        if (whenLate.text().isPresent()) {
            throw new IllegalArgumentException("a late line is accepted as it is or refused, not rewritten");
        }
        this.lineFilterDeadline = deadline;
        this.whenLate = whenLate;
        return self();
    }

    /**
     * Adds a listener that receives every event this node placed in every room — with a listener on
     * every node, each event once per cluster — in order, on a thread of the server's. See
     * {@link ChatListener}; {@link ChatServer.Builder#start()} refuses it with a broker that cannot tell which events
     * it placed ({@link Broker#onPlaced}).
     *
     * @param listener the listener
     * @return this builder
     */
    public ChatServer.Builder listener(ChatListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /**
     * @param role the role (see {@link io.github.wschat.app.Identity#roles()}) whose members may
     *     {@code /kick NICK REASON}, {@code /mute NICK 10m [REASON]}, {@code /unmute NICK} and
     *     {@code /ban NICK 1h [REASON]} in their room; anyone else gets the error
     *     {@code not_allowed}. Default {@code operator}.
     * @return this builder
     */
    public ChatServer.Builder operatorRole(String role) {
        this.operatorRole = Objects.requireNonNull(role, "role");
        return self();
    }


    Hooks hooks() {
        return new Hooks(joinHooks, asyncJoinHooks, asyncJoinDeadline, lineFilters, lineFilterDeadline, whenLate, listeners);
    }

    String operatorRole() {
        return operatorRole;
    }
}
