package io.github.wschat.spi;

import java.util.Objects;

/**
 * The answer to a handshake: accept, optionally with a subprotocol, or refuse with an HTTP status
 * and a reason. Immutable.
 *
 * @param accepted whether the handshake is accepted
 * @param subprotocol the agreed subprotocol, or the empty string; only when accepted
 * @param status the HTTP status of a refusal (4xx or 5xx); 101 when accepted
 * @param reason why the handshake was refused, for the client and the log; empty when accepted
 */
public record Admission(boolean accepted, String subprotocol, int status, String reason) {

    private static final Admission ACCEPT = new Admission(true, "", 101, "");

    /**

     * Checks the parts.

     *

     * @param accepted whether the handshake is accepted

     * @param subprotocol the agreed subprotocol, or the empty string; only when accepted

     * @param status the HTTP status of a refusal (4xx or 5xx); 101 when accepted

     * @param reason why the handshake was refused, for the client and the log; empty when accepted

     * @throws IllegalArgumentException if the parts contradict each other

     */

    public Admission {
        Objects.requireNonNull(subprotocol, "subprotocol");
        Objects.requireNonNull(reason, "reason");
        if (accepted && status != 101) {
            throw new IllegalArgumentException("an accepted handshake has status 101");
        }
        if (!accepted && (status < 400 || status > 599 || !subprotocol.isEmpty())) {
            throw new IllegalArgumentException("a refusal has a 4xx or 5xx status and no subprotocol");
        }
    }

    /**
     * Accepts without a subprotocol.
     *
     * @return the decision
     */
    public static Admission accept() {
        return ACCEPT;
    }

    /**
     * Accepts with a subprotocol the client offered.
     *
     * @param subprotocol the subprotocol, or the empty string for none
     * @return the decision
     */
    public static Admission accept(String subprotocol) {
        return subprotocol.isEmpty() ? ACCEPT : new Admission(true, subprotocol, 101, "");
    }

    /**
     * Refuses the handshake. Transports answer with this status where their library lets them, and
     * with their library's refusal otherwise (documented per transport).
     *
     * @param status an HTTP status, 400–599
     * @param reason why, for the client and the log
     * @return the decision
     */
    public static Admission refuse(int status, String reason) {
        return new Admission(false, "", status, reason);
    }
}
