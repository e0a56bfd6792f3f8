package io.github.wschat.server;

import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Line;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One sender's lines on their way through the line filters: each is checked as it arrives, several at
 * once, and placed in the order sent — a slow verdict holds back this sender's later lines only. All
 * methods run on the sender's serial executor, one at a time; verdicts that complete elsewhere come
 * back through it.
 */
final class LinePipeline {

    /** How many of one sender's lines may wait for their verdicts at once. */
    static final int MAX_WAITING = 256;
    static final String TOO_MANY = "too many of your lines are waiting to be checked: that line was not sent.";

    private final LineFilters filters;
    private final Executor serial;
    private final Supplier<ChatMember> sender;
    private final String room;
    private final Consumer<LineFilters.Decision> outcome;
    private final Queue<CompletableFuture<LineFilters.Decision>> waiting = new ArrayDeque<>();
    private final Runnable drain = this::drain;

    /**
     * @param outcome places an accepted line or tells the sender of a refusal; called in the order sent
     */
    LinePipeline(LineFilters filters, Executor serial, Supplier<ChatMember> sender, String room,
            Consumer<LineFilters.Decision> outcome) {
        this.filters = filters;
        this.serial = serial;
        this.sender = sender;
        this.room = room;
        this.outcome = outcome;
    }

    void submit(Line line, String id) {
        if (waiting.size() >= MAX_WAITING) {
            outcome.accept(new LineFilters.Decision(line, false, TOO_MANY, "filter-backlog", id));
            return;
        }
        CompletableFuture<LineFilters.Decision> checked = filters.check(sender.get(), room, line);
        CompletableFuture<LineFilters.Decision> decision = id == null ? checked : checked.thenApply(d -> d.withId(id));
        if (waiting.isEmpty() && decision.isDone()) {
            outcome.accept(decision.join());
            return;
        }
        waiting.add(decision);
        if (decision.isDone()) {
            drain();
        } else {
            decision.whenComplete((d, e) -> serial.execute(drain));
        }
    }

    private void drain() {
        CompletableFuture<LineFilters.Decision> head;
        while ((head = waiting.peek()) != null && head.isDone()) {
            waiting.remove();
            outcome.accept(head.join());
        }
    }

    /** The sender left: lines still waiting for their verdicts are not placed. */
    void abandon() {
        waiting.clear();
    }
}
