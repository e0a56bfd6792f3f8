package io.github.wschat.boot;

import io.github.wschat.Handshake;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.HandshakeAuthenticator;
import java.util.Optional;

/**
 * With the chat on a port of its own and Spring Security: the member is the user the ticket in the
 * handshake's query ({@code ?ticket=}) was issued for, on the application's port, behind its security
 * filters ({@link TicketServlet}). A handshake without a ticket is anonymous: refused with 401 unless
 * anonymous chat is allowed. A ticket that is unknown, used or expired is refused with 401. Thread-safe.
 */
final class TicketAuthenticator implements HandshakeAuthenticator {

    static final String QUERY = "ticket";

    private final ChatTickets tickets;
    private final boolean allowAnonymous;
    private final String office;

    TicketAuthenticator(ChatTickets tickets, boolean allowAnonymous, String office) {
        this.tickets = tickets;
        this.allowAnonymous = allowAnonymous;
        this.office = office;
    }

    @Override
    public Authentication authenticate(Handshake handshake) {
        Optional<String> ticket = handshake.queryParameter(QUERY);
        if (ticket.isEmpty()) {
            return allowAnonymous ? Authentication.accept()
                    : Authentication.refuse(401, "log in, and connect with a ticket from GET " + office);
        }
        return tickets.redeem(ticket.get()).orElseGet(() -> Authentication.refuse(401,
                "the ticket is unknown, used or expired: get a new one from GET " + office));
    }
}
