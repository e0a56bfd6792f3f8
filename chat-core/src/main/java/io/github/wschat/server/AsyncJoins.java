package io.github.wschat.server;

import io.github.wschat.CloseCodes;
import io.github.wschat.app.AsyncJoinHook;
import io.github.wschat.app.Identity;
import io.github.wschat.app.JoinVerdict;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's asynchronous join hooks as one chain with a deadline: each connection gets one
 * verdict, which never fails; and how a refusal closes the connection. Thread-safe.
 */
final class AsyncJoins {

    private static final Logger log = LoggerFactory.getLogger(AsyncJoins.class);
    static final JoinVerdict NOT_CHECKED = JoinVerdict.refuse(503, "your joining could not be checked; try again later");
    static final JoinVerdict LATE = JoinVerdict.refuse(503, "your joining could not be checked in time; try again later");

    private final List<AsyncJoinHook> hooks;
    private final long deadlineMillis;
    // A failing hook is logged once, at its first failure.
    private final Set<AsyncJoinHook> failed = ConcurrentHashMap.newKeySet();

    AsyncJoins(List<AsyncJoinHook> hooks, Duration deadline) {
        this.hooks = List.copyOf(hooks);
        this.deadlineMillis = deadline.toMillis();
    }

    boolean isEmpty() {
        return hooks.isEmpty();
    }

    /** Asks every hook in turn, until one refuses; completes by the deadline at the latest. */
    CompletableFuture<JoinVerdict> check(Identity identity, String room) {
        CompletableFuture<JoinVerdict> verdict = CompletableFuture.completedFuture(JoinVerdict.allow());
        for (AsyncJoinHook hook : hooks) {
            verdict = verdict.thenCompose(v -> v.allowed() ? ask(hook, identity, room) : CompletableFuture.completedFuture(v));
        }
        return verdict.isDone() ? verdict : verdict.completeOnTimeout(LATE, deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<JoinVerdict> ask(AsyncJoinHook hook, Identity identity, String room) {
        CompletionStage<JoinVerdict> verdict;
        try {
            verdict = Objects.requireNonNull(hook.check(identity, room), "the join hook returned null");
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(hook, e));
        }
        return verdict.handle((v, e) -> e != null || v == null ? failure(hook, e) : v).toCompletableFuture();
    }

    private JoinVerdict failure(AsyncJoinHook hook, Throwable error) {
        if (failed.add(hook)) {
            log.warn("An asynchronous join hook failed; members it was asked about are refused (logged once): {}",
                    error == null ? "it answered null" : error.toString());
        }
        return NOT_CHECKED;
    }

    /** The close code a refusal closes with: 4000 + a 4xx status, else try again later. */
    static int closeCode(JoinVerdict refusal) {
        int status = refusal.status();
        return status >= 400 && status <= 499 ? 4000 + status : CloseCodes.TRY_AGAIN_LATER;
    }
}
