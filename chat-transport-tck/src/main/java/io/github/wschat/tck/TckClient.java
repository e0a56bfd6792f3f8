package io.github.wschat.tck;

import java.time.Duration;
import java.util.List;

/**
 * The client side of a test connection: a real WebSocket client for socket transports, or the
 * in-memory peer. Thread-safe. Waiting methods fail with an {@link AssertionError} on timeout.
 */
public interface TckClient extends AutoCloseable {

    /**
     * Sends a text message and waits until the client has handed it on.
     *
     * @param text the message
     */
    void send(String text);

    /**
     * Sends a binary message.
     *
     * @param data the bytes
     */
    void sendBinary(byte[] data);

    /**
     * Starts the closing handshake.
     *
     * @param code the close code
     * @param reason the reason
     */
    void close(int code, String reason);

    /** Drops the connection without a close frame, as a crashed peer or a pulled cable would. */
    void abort();

    /**
     * Whether the connection has closed (a close frame arrived, or it was aborted or failed).
     *
     * @return true once closed
     */
    boolean isClosed();

    /**
     * The subprotocol the server agreed to.
     *
     * @return the subprotocol or the empty string
     */
    String subprotocol();

    /**
     * Waits for the next text message.
     *
     * @param timeout how long to wait
     * @return the message
     */
    String nextMessage(Duration timeout);

    /**
     * Waits for the next {@code count} text messages.
     *
     * @param count how many
     * @param timeout how long to wait for all of them
     * @return the messages, in arrival order
     */
    List<String> nextMessages(int count, Duration timeout);

    /**
     * Reads text messages until one matches, dropping those before it (history, others' lines).
     *
     * @param wanted which message to wait for
     * @param timeout how long to wait for it, all in all
     * @return the first matching message
     * @throws AssertionError if none matched within the timeout (as {@link #nextMessage} fails)
     */
    default String nextMessageMatching(java.util.function.Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String message = nextMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (wanted.test(message)) {
                return message;
            }
        }
    }

    /**
     * Waits until the connection is closed.
     *
     * @param timeout how long to wait
     * @return how it closed; code 1006 if it ended without a close frame
     */
    CloseStatus awaitClose(Duration timeout);

    /** Aborts the connection if it is still open; for try-with-resources. */
    @Override
    void close();
}
