package io.github.wschat.server;

import io.github.wschat.Registration;
import io.github.wschat.app.Identity;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Credentials that expire while their connections last: each connection's expiry is a timer on one
 * shared thread, moved by a refresh the authenticator accepts. Thread-safe.
 */
final class Credentials {

    /** No expiry is ever timed; every refresh is refused. */
    static final Credentials NEVER_EXPIRE = new Credentials(HandshakeAuthenticator.ANYONE, null);

    private final HandshakeAuthenticator authenticator;
    private final ScheduledExecutorService timers;

    /** @param timers where expiries are timed; null for none (every expiry is ignored) */
    Credentials(HandshakeAuthenticator authenticator, ScheduledExecutorService timers) {
        this.authenticator = authenticator;
        this.timers = timers;
    }

    /** Runs {@code expire} at {@code instant}, unless the registration is removed before. */
    Registration at(Instant instant, Runnable expire) {
        if (timers == null) {
            return () -> { };
        }
        long delay = Math.max(0, instant.toEpochMilli() - System.currentTimeMillis());
        ScheduledFuture<?> timer = timers.schedule(expire, delay, TimeUnit.MILLISECONDS);
        return () -> timer.cancel(false);
    }

    /** The authenticator's decision on a fresh credential of {@code identity}: refused if it names another. */
    Authentication refresh(Identity identity, String credential) {
        Authentication decision = authenticator.refresh(identity, credential);
        if (decision == null) {
            return Authentication.refuse(500, "the authenticator returned nothing");
        }
        if (decision.accepted() && !decision.identity().id().equals(identity.id())) {
            return Authentication.refuse(403, "that credential is another user's");
        }
        return decision;
    }
}
