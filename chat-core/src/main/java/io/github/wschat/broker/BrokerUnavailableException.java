package io.github.wschat.broker;

/**
 * A shared broker's store could not answer in time: the operation did not happen, or, if
 * {@link #isUncertain()}, its answer was lost and it may have.
 */
public final class BrokerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Whether the operation may have happened after all. */
    private final boolean uncertain;

    /**
     * @param message what could not be done
     * @param cause the store's error
     */
    public BrokerUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param message what could not be done
     * @param cause the store's error
     * @param uncertain whether the operation may have happened after all: the store took it, and its
     *     answer was lost with the connection or came too late
     */
    public BrokerUnavailableException(String message, Throwable cause, boolean uncertain) {
        super(message, cause);
        this.uncertain = uncertain;
    }

    /**
     * @return whether the operation may have happened after all (its answer was lost)
     */
    public boolean isUncertain() {
        return uncertain;
    }
}
