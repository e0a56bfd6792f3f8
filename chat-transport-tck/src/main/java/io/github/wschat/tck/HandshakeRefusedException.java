package io.github.wschat.tck;

/** A test client's handshake was refused by the server. */
public final class HandshakeRefusedException extends Exception {

    /** The HTTP status of the refusal. */
    private final int status;

    /**
     * @param status the HTTP status of the refusal
     * @param message what happened
     */
    public HandshakeRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * @return the HTTP status of the refusal
     */
    public int status() {
        return status;
    }
}
