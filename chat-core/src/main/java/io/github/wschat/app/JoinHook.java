package io.github.wschat.app;

/**
 * Decides who may enter which room, for example a room only operators may enter. Runs during the
 * opening handshake, after the {@linkplain io.github.wschat.server.HandshakeAuthenticator
 * authenticator} accepted it and before any connection exists: a refusal answers the handshake with
 * the verdict's status and reason, and the client never appears in the room.
 *
 * <pre>{@code
 * .joinHook((identity, room) -> room.equals("staff") && !identity.hasRole("operator")
 *         ? JoinVerdict.refuse(403, "staff only")
 *         : JoinVerdict.allow())
 * }</pre>
 *
 * <p>Several hooks run in the order they were added; the first refusal decides. Called on transport
 * threads, possibly several at once: implementations are thread-safe and must not block for long.
 * A hook that throws refuses the handshake with 500, and is logged. To ask something that answers
 * later (a backend over HTTP, a database), use an {@link AsyncJoinHook}: asked just after the
 * handshake, it refuses with a close code instead of an HTTP status.
 */
@FunctionalInterface
public interface JoinHook {

    /**
     * @param identity who wants to enter
     * @param room the room's name
     * @return the verdict, never null
     */
    JoinVerdict check(Identity identity, String room);
}
