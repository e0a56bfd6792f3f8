package io.github.wschat.app;

import java.util.Objects;

/**
 * What a {@link JoinHook} decided: allow, or refuse with an HTTP status and a reason the client is
 * told. Immutable.
 *
 * @param allowed whether the member may enter the room
 * @param status 101 when allowed; the refusal's HTTP status, 400–599
 * @param reason why it was refused; empty when allowed
 */
public record JoinVerdict(boolean allowed, int status, String reason) {

    private static final JoinVerdict ALLOW = new JoinVerdict(true, 101, "");

    /**
     * Checks the parts agree.
     *
     * @param allowed whether the member may enter
     * @param status 101 when allowed, else 400–599
     * @param reason why not; empty when allowed
     * @throws IllegalArgumentException if they contradict each other
     */
    public JoinVerdict {
        Objects.requireNonNull(reason, "reason");
        if (allowed ? status != 101 : status < 400 || status > 599) {
            throw new IllegalArgumentException("allowed is 101, a refusal 400-599: " + status);
        }
    }

    /**
     * @return the verdict that lets the member in
     */
    public static JoinVerdict allow() {
        return ALLOW;
    }

    /**
     * @param status the HTTP status the handshake is refused with, e.g. 403
     * @param reason why, for the client and the log
     * @return the verdict
     */
    public static JoinVerdict refuse(int status, String reason) {
        return new JoinVerdict(false, status, reason);
    }
}
