package io.github.wschat.boot;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.github.wschat.server.Authentication;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * One-time tickets that carry a user from the application's port to the chat's own: the page asks the
 * application (behind its security filters) for a ticket, and connects to the chat's port with it; the
 * chat redeems it once. A ticket is 192 random bits, good for one handshake within its time to live.
 * Thread-safe.
 */
final class ChatTickets {

    /** How long a ticket is good for: a page uses it at once. */
    static final Duration TIME_TO_LIVE = Duration.ofSeconds(30);
    /** Tickets open at most; the oldest go first past it (a page that lost one asks again). */
    private static final int MAX_OPEN = 100_000;

    private final SecureRandom random = new SecureRandom();
    private final Cache<String, Authentication> open;

    ChatTickets(Duration timeToLive) {
        this.open = CacheBuilder.newBuilder().expireAfterWrite(timeToLive).maximumSize(MAX_OPEN).build();
    }

    /** A new ticket for this accepted authentication. */
    String issue(Authentication who) {
        if (!who.accepted()) {
            throw new IllegalArgumentException("a ticket is for an accepted user: " + who);
        }
        byte[] bits = new byte[24];
        random.nextBytes(bits);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        open.put(ticket, who);
        return ticket;
    }

    /** Who the ticket was issued for, once: a second redemption, or an expired ticket, finds none. */
    Optional<Authentication> redeem(String ticket) {
        return Optional.ofNullable(open.asMap().remove(Objects.requireNonNull(ticket, "ticket")));
    }
}
