package io.github.wschat.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides about each line before it takes its place in the room: a word filter that rewrites, a
 * spam check that refuses, a call to a moderation service. Nothing of a refused line is placed; its
 * sender alone gets the reason.
 *
 * <h2>Chain</h2> Several filters run in the order they were added; each sees the text the one before
 * accepted, and the first refusal decides.
 *
 * <h2>Threads, order and deadline</h2> {@link #check} is called on a transport thread and must not
 * block: a filter that needs time (a remote call) returns a stage it completes later, on any thread.
 * One sender's lines are checked as they arrive, several at once, and placed in the order sent: a
 * slow verdict holds back that sender's later lines, never another member's, and never a transport
 * thread. A chain that has not decided within the server's deadline (default 2 s; see
 * {@code ChatServer.Builder.lineFilterDeadline}) gets the builder's verdict for late lines (by
 * default a refusal). A filter that throws, or whose stage fails, refuses the line ("could not be
 * checked"); the failure is logged once per filter and counted in the metrics. A line still waiting
 * for its verdict when its sender leaves is not placed.
 *
 * <pre>{@code
 * .lineFilter(LineFilter.synchronous((sender, room, line) ->
 *         line.text().contains("darn") ? LineVerdict.rewrite(line.text().replace("darn", "d**n"))
 *                                      : LineVerdict.accept()))
 * }</pre>
 */
@FunctionalInterface
public interface LineFilter {

    /**
     * Decides about one line.
     *
     * @param sender who sent it
     * @param room the room it is for
     * @param line the line, after the filters before this one
     * @return the verdict, now or later; never null
     */
    CompletionStage<LineVerdict> check(ChatMember sender, String room, Line line);

    /**
     * A filter that decides at once, on the calling thread.
     *
     * @param filter the decision
     * @return the filter
     */
    static LineFilter synchronous(Synchronous filter) {
        CompletionStage<LineVerdict> accepted = CompletableFuture.completedStage(LineVerdict.accept());
        return (sender, room, line) -> {
            LineVerdict verdict = filter.check(sender, room, line);
            return verdict == LineVerdict.accept() ? accepted : CompletableFuture.completedStage(verdict);
        };
    }

    /** A decision made at once: see {@link #synchronous}. */
    @FunctionalInterface
    interface Synchronous {
        /**
         * @param sender who sent the line
         * @param room the room it is for
         * @param line the line
         * @return the verdict, never null
         */
        LineVerdict check(ChatMember sender, String room, Line line);
    }
}
