package io.github.wschat.api;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker before a backend the hooks ask: after so many failures in a row it stops asking for
 * a while (callers get their "backend away" answer at once, and no request piles up behind a dead
 * backend), then lets one question through as a probe, whose answer closes it again. Logs the first
 * failure of a run and the opening. Thread-safe.
 */
final class Breaker {

    private static final Logger log = LoggerFactory.getLogger(Breaker.class);

    private final String what;
    private final URI url;
    private final int failuresToOpen;
    private final Duration openFor;
    private final AtomicInteger failures = new AtomicInteger();
    /** Until when (nanoTime) the breaker is open; 0 when closed. */
    private final AtomicLong openUntil = new AtomicLong();

    Breaker(String what, URI url, int failuresToOpen, Duration openFor) {
        if (failuresToOpen < 1 || openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("the breaker needs a positive count and time");
        }
        this.what = what;
        this.url = url;
        this.failuresToOpen = failuresToOpen;
        this.openFor = openFor;
    }

    /** Whether to ask the backend now: yes while closed, and for one probe once the open time is over. */
    boolean mayAsk() {
        long open = openUntil.get();
        if (open == 0) {
            return true;
        }
        if (System.nanoTime() - open < 0) {
            return false;
        }
        // the first to get here is the probe; the others wait for its answer, refused meanwhile
        return openUntil.compareAndSet(open, System.nanoTime() + openFor.toNanos());
    }

    /** The backend answered: closes the breaker. */
    void succeeded() {
        failures.set(0);
        openUntil.set(0);
    }

    /** The backend failed (an error, a wrong answer, too late). */
    void failed(Throwable error) {
        int inARow = failures.incrementAndGet();
        if (inARow >= failuresToOpen) {
            if (openUntil.getAndSet(System.nanoTime() + openFor.toNanos()) == 0) {
                log.warn("The {} at {} failed {} times in a row (last: {}); not asked for {} s", what, url, inARow,
                        error.toString(), openFor.toSeconds());
            }
        } else if (inARow == 1) {
            log.warn("The {} at {} failed: {}", what, url, error.toString());
        }
    }
}
