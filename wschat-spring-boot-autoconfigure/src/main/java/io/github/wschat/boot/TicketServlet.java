package io.github.wschat.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The chat's address on the application's port, where it runs on a port of its own: {@code GET /chat}
 * answers {@code {"url": "ws://HOST:PORT/chat", "ticket": "..."}} for the user of the request (behind
 * the application's security filters), which the page connects with ({@code ?ticket=}); a user the chat
 * would refuse gets its status and {@code {"error": "..."}}. Never cached. Thread-safe.
 */
final class TicketServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient ChatTickets tickets;
    private final transient Supplier<Authentication> asking;
    private final transient Supplier<ChatServer> chat;
    private final String publicUrl;
    private final String path;

    TicketServlet(ChatTickets tickets, Supplier<Authentication> asking, Supplier<ChatServer> chat, String publicUrl,
            String path) {
        this.tickets = tickets;
        this.asking = asking;
        this.chat = chat;
        this.publicUrl = publicUrl;
        this.path = path;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Authentication who = asking.get();
        ObjectNode body = JSON.createObjectNode();
        if (who.accepted()) {
            body.put("url", publicUrl != null ? publicUrl : url(request));
            body.put(TicketAuthenticator.QUERY, tickets.issue(who));
        } else {
            response.setStatus(who.status());
            body.put("error", who.reason());
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(body));
    }

    /** ws:// on the host the request was sent to, the chat's port and path. */
    private String url(HttpServletRequest request) {
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "ws://" + host + ":" + chat.get().address().getPort() + path;
    }
}
