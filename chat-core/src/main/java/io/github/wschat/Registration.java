package io.github.wschat;

/**
 * A handler registered on a {@link Connection}; {@link #remove()} unregisters it.
 *
 * <p>Thread-safe and idempotent: removing twice, or after the connection closed, does nothing. A
 * removed handler may still run once if its event was already being delivered.
 */
@FunctionalInterface
public interface Registration {

    /** Unregisters the handler. */
    void remove();
}
