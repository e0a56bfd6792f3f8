package io.github.wschat.history;

/** A {@link HistoryStore} could not reach its storage, or its storage refused the request. */
public class HistoryStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause why
     */
    public HistoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
