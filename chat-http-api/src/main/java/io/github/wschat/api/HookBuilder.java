package io.github.wschat.api;

import java.net.URI;
import java.time.Duration;

/**
 * What the builders of the HTTP hooks ({@link HttpLineFilter}, {@link HttpJoinHook}) share: the
 * backend's URL and secret, how long it has to answer, what to decide when it cannot, and the circuit
 * breaker. Not thread-safe.
 *
 * @param <B> the builder
 */
abstract class HookBuilder<B extends HookBuilder<B>> {

    final URI url;
    final String secret;
    Duration timeout = Duration.ofMillis(1500);
    boolean failOpen;
    int failuresToOpen = 5;
    Duration openFor = Duration.ofSeconds(10);

    HookBuilder(URI url, String secret) {
        SignedPost.check(url, secret, "hook");
        this.url = url;
        this.secret = secret;
    }

    abstract B self();

    /**
     * How long to wait for the backend. Default 1.5 s.
     *
     * @param wait positive
     * @return this builder
     */
    public B timeout(Duration wait) {
        this.timeout = SignedPost.positive(wait);
        return self();
    }

    /**
     * Let through what the backend could not decide (it failed, was late, or the breaker is open),
     * instead of refusing it.
     *
     * @return this builder
     */
    public B failOpen() {
        this.failOpen = true;
        return self();
    }

    /**
     * The circuit breaker: after {@code failures} failures in a row, stop asking for {@code openFor}.
     * Default 5 and 10 s.
     *
     * @param failures positive
     * @param open positive
     * @return this builder
     */
    public B breaker(int failures, Duration open) {
        if (failures < 1 || open.isNegative() || open.isZero()) {
            throw new IllegalArgumentException("the breaker needs a positive count and time");
        }
        this.failuresToOpen = failures;
        this.openFor = open;
        return self();
    }

    Breaker newBreaker(String what) {
        return new Breaker(what, url, failuresToOpen, openFor);
    }

    SignedPost newPost() {
        return new SignedPost(url, secret, timeout);
    }
}
