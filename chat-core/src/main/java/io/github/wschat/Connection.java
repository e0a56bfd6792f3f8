package io.github.wschat;

/**
 * One WebSocket connection, as the chat logic sees it: events in, text out.
 *
 * <p>The shape follows websocket-driver's {@code (on :open ws ...)}: register a handler per event
 * kind, then react. Text only: a binary frame from the peer closes the connection with
 * {@link CloseCodes#UNSUPPORTED_DATA 1003}.
 *
 * <h2>Lifecycle</h2>
 * A connection is handed to the application (see {@link io.github.wschat.spi.ConnectionHandler})
 * after its handshake succeeded and before its {@code open} event, so handlers registered then see
 * every event. It then goes <em>open</em> → <em>closing</em> (after {@link #close}) →
 * <em>closed</em> (after the {@code close} event).
 *
 * <h2>Events and threads</h2>
 * <ul>
 *   <li>Handlers run on a thread of the transport. Events of one connection are delivered one at a
 *       time, never concurrently, in the order they happened: {@code open} first, then messages in
 *       the order the peer sent them, {@code error} whenever one happens, and {@code close} exactly
 *       once, last. Nothing is delivered after {@code close}.</li>
 *   <li>Handlers must not block: they hold up the transport's thread for this connection.</li>
 *   <li>A handler that throws does not break the transport or other connections: the exception is
 *       logged. If an {@code open} or {@code message} handler throws, the connection cannot be
 *       trusted to go on and is closed with {@link CloseCodes#INTERNAL_ERROR 1011}; an exception
 *       from a {@code close} or {@code error} handler is only logged. Other handlers of the same
 *       event still run.</li>
 *   <li>A handler registered after its event happened is not called for it (there is no replay).</li>
 * </ul>
 *
 * <h2>Thread-safety</h2>
 * Every method may be called from any thread at any time, also from inside a handler.
 */
public interface Connection {

    /**
     * A unique id of this connection within its transport server, for logs.
     *
     * @return the id, never null
     */
    String id();

    /**
     * The facts of the opening handshake.
     *
     * @return the handshake, never null
     */
    Handshake handshake();

    /**
     * The subprotocol agreed in the handshake.
     *
     * @return the subprotocol, or the empty string if none was agreed
     */
    String subprotocol();

    /**
     * Queues a text message for the peer and returns immediately; it never blocks on the network.
     * Messages queued by one thread are sent in the order queued; messages are never interleaved.
     *
     * @param text the message, possibly empty
     * @return true if the message was queued; false if the connection is closing or closed, in which
     *     case the message is discarded (no exception, no event)
     * @throws NullPointerException if text is null
     */
    boolean send(String text);

    /**
     * Starts the closing handshake: sends a close frame with this code and reason. The {@code close}
     * event follows at once, with this code and reason, whether or not the peer ever answers: whatever
     * the connection held (a member, its nickname) is released before this method returns, or as soon
     * as the event being delivered on this connection returns. The transport completes the closing
     * handshake in the background, and cuts the socket of a peer that does not answer within its close
     * grace period. Does nothing if the connection is already closing or closed.
     *
     * @param code a code for which {@link CloseCodes#isSendable(int)} is true
     * @param reason the reason, at most {@value CloseCodes#MAX_REASON_BYTES} bytes of UTF-8
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     * @throws NullPointerException if reason is null
     */
    void close(int code, String reason);

    /**
     * Whether the connection is open: its {@code open} event was delivered and neither side began to
     * close it.
     *
     * @return true while messages can be sent
     */
    boolean isOpen();

    /**
     * Registers a handler for the {@code open} event.
     *
     * @param handler the handler
     * @return a registration that removes it
     */
    Registration onOpen(OpenHandler handler);

    /**
     * Registers a handler for text messages from the peer.
     *
     * @param handler the handler
     * @return a registration that removes it
     */
    Registration onMessage(MessageHandler handler);

    /**
     * Registers a handler for the {@code close} event, delivered exactly once, last.
     *
     * @param handler the handler
     * @return a registration that removes it
     */
    Registration onClose(CloseHandler handler);

    /**
     * Registers a handler for errors: protocol errors, I/O errors, exceptions thrown by handlers. An
     * error is informational; if it ends the connection, a {@code close} event follows.
     *
     * @param handler the handler
     * @return a registration that removes it
     */
    Registration onError(ErrorHandler handler);

    /** Handles the {@code open} event. */
    @FunctionalInterface
    interface OpenHandler {
        /** The connection is open; messages may be sent. */
        void onOpen();
    }

    /** Handles one text message from the peer. */
    @FunctionalInterface
    interface MessageHandler {
        /**
         * A whole text message arrived.
         *
         * @param text the message, never null, possibly empty
         */
        void onMessage(String text);
    }

    /** Handles the {@code close} event. */
    @FunctionalInterface
    interface CloseHandler {
        /**
         * The connection is closed; nothing more will be delivered.
         *
         * @param code the close code received or sent; {@link CloseCodes#ABNORMAL 1006} if the
         *     connection ended without a close frame
         * @param reason the close reason, never null, possibly empty
         */
        void onClose(int code, String reason);
    }

    /** Handles an error on the connection. */
    @FunctionalInterface
    interface ErrorHandler {
        /**
         * Something went wrong on this connection.
         *
         * @param error what went wrong, never null
         */
        void onError(Throwable error);
    }
}
