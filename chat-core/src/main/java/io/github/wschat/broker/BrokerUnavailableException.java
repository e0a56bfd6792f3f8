package io.github.wschat.broker;

/** A shared broker's store could not answer in time: the operation did not happen. */
public final class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be done
     * @param cause the store's error
     */
    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
