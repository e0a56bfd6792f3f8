package io.github.wschat.server;

import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Line;
import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's line filters as one chain with a deadline: each line gets one {@link Decision},
 * which never fails. Thread-safe.
 */
final class LineFilters {

    private static final Logger log = LoggerFactory.getLogger(LineFilters.class);
    static final String NOT_CHECKED = "that line could not be checked, so it was not sent; try again.";
    static final String EMPTY = "nothing was left of that line to send.";

    private final List<LineFilter> filters;
    private final long deadlineMillis;
    private final LineVerdict whenLate;
    // A failing filter is logged once, at its first failure; later ones are counted only.
    private final Set<LineFilter> failed = ConcurrentHashMap.newKeySet();

    LineFilters(List<LineFilter> filters, Duration deadline, LineVerdict whenLate) {
        this.filters = List.copyOf(filters);
        this.deadlineMillis = deadline.toMillis();
        this.whenLate = Objects.requireNonNull(whenLate, "whenLate");
    }

    /** No filters: every line is placed at once. */
    static LineFilters none() {
        return new LineFilters(List.of(), Duration.ofSeconds(1), LineVerdict.accept());
    }

    boolean isEmpty() {
        return filters.isEmpty();
    }

    /** Runs the chain on one line; the decision completes by the deadline at the latest. */
    CompletableFuture<Decision> check(ChatMember sender, String room, Line line) {
        CompletableFuture<Decision> decision = CompletableFuture.completedFuture(Decision.accepted(line));
        for (LineFilter filter : filters) {
            decision = decision.thenCompose(d -> d.accepted() ? ask(filter, sender, room, d.line())
                    : CompletableFuture.completedFuture(d));
        }
        if (!decision.isDone()) {
            decision.completeOnTimeout(whenLate.accepted() ? Decision.accepted(line)
                    : new Decision(line, false, whenLate.reason(), "filter-deadline"), deadlineMillis, TimeUnit.MILLISECONDS);
        }
        return decision;
    }

    private CompletableFuture<Decision> ask(LineFilter filter, ChatMember sender, String room, Line line) {
        CompletionStage<LineVerdict> verdict;
        try {
            verdict = Objects.requireNonNull(filter.check(sender, room, line), "the line filter returned null");
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(filter, e, line));
        }
        return verdict.handle((v, e) -> e != null || v == null ? failure(filter, e, line) : decide(v, line))
                .toCompletableFuture();
    }

    private static Decision decide(LineVerdict verdict, Line line) {
        if (!verdict.accepted()) {
            return new Decision(line, false, verdict.reason(), "filter");
        }
        if (verdict.text().isEmpty()) {
            return Decision.accepted(line);
        }
        String text = String.join(" ", TypedText.lines(verdict.text().get()));
        return text.isEmpty() ? new Decision(line, false, EMPTY, "filter") : Decision.accepted(line.withText(text));
    }

    private Decision failure(LineFilter filter, Throwable error, Line line) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (failed.add(filter)) {
            log.warn("A line filter failed; its lines are refused (logged once per filter)", cause);
        }
        return new Decision(line, false, NOT_CHECKED, "filter-error");
    }

    /**
     * What became of a line: placed as {@code line} (rewritten perhaps), or refused with the reason the
     * sender is told and the reason the metrics count.
     */
    record Decision(Line line, boolean accepted, String reason, String metric, String id) {
        Decision(Line line, boolean accepted, String reason, String metric) {
            this(line, accepted, reason, metric, null);
        }

        static Decision accepted(Line line) {
            return new Decision(line, true, "", "");
        }

        /** The same decision about the line that carried this id (null: none). */
        Decision withId(String lineId) {
            return new Decision(line, accepted, reason, metric, lineId);
        }
    }
}
