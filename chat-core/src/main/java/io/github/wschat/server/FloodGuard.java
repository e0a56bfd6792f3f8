package io.github.wschat.server;

import java.util.function.LongSupplier;

/**
 * One connection's message rate: a token bucket of {@code burst} tokens refilled at
 * {@code perSecond}; a message takes a token or is refused. Refusals fill a second bucket that
 * drains at {@code perSecond}; when it overflows ({@code perSecond × 20} refusals more than it
 * drained) the sender is flooding and is to be disconnected. Sending at 5× the rate fills it in about
 * 7 s; sending at up to 2× the rate never does.
 *
 * <p>Not thread-safe: a connection's handlers run one at a time, and only they use it.
 */
final class FloodGuard {

    enum Verdict { ACCEPT, REFUSE, DISCONNECT }

    private static final double NANOS_PER_SECOND = 1e9;
    private static final int FLOOD_SECONDS = 20;

    private final double perSecond;
    private final double burst;
    private final double floodCapacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private double refusals;
    private long last;

    FloodGuard(double perSecond, int burst, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.floodCapacity = perSecond * FLOOD_SECONDS;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    Verdict check() {
        long now = nanoClock.getAsLong();
        double elapsed = (now - last) / NANOS_PER_SECOND;
        last = now;
        tokens = Math.min(burst, tokens + elapsed * perSecond);
        refusals = Math.max(0, refusals - elapsed * perSecond);
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        refusals += 1;
        return refusals > floodCapacity ? Verdict.DISCONNECT : Verdict.REFUSE;
    }
}
