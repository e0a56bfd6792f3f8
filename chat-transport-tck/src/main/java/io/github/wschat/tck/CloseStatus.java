package io.github.wschat.tck;

import java.util.Objects;

/**
 * How a connection closed, as one side saw it.
 *
 * @param code the close code
 * @param reason the close reason, possibly empty
 */
public record CloseStatus(int code, String reason) {
    /**
     * Checks the reason is not null.
     *
     * @param code the close code
     * @param reason the close reason, possibly empty
     */
    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
    }
}
