package io.github.wschat.spi;

import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.Registration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every transport's {@link Connection}: it keeps the handlers and delivers events with
 * the guarantees {@link Connection} documents, so that an adapter is only glue.
 *
 * <p>An adapter subclass implements {@link #sendText} and {@link #sendClose} on its library, opens
 * each connection once its handshake completes with {@link #handOver(ConnectionHandler)}, and
 * reports what its library tells it by calling {@link #fireMessage(String)}, {@link #fireBinary()},
 * {@link #fireError(Throwable)} and {@link #fireClose(int, String)} from any thread. The {@code fire} methods never block: an event fired while another thread is delivering
 * an event of this connection is queued and delivered by that thread, in order, when the current
 * handler returns. {@code fireClose} is idempotent; events fired after it are dropped.
 *
 * <p>Thread-safe.
 */
public abstract class AbstractConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(AbstractConnection.class);

    private enum State { NEW, OPEN, CLOSING, CLOSED }

    private final String id;
    private final Handshake handshake;
    private final String subprotocol;

    private volatile State state = State.NEW;
    private final AtomicBoolean closeFired = new AtomicBoolean();
    private final AtomicBoolean closeStarted = new AtomicBoolean();

    private final List<OpenHandler> openHandlers = new CopyOnWriteArrayList<>();
    private final List<MessageHandler> messageHandlers = new CopyOnWriteArrayList<>();
    private final List<CloseHandler> closeHandlers = new CopyOnWriteArrayList<>();
    private final List<ErrorHandler> errorHandlers = new CopyOnWriteArrayList<>();
    private final List<BinaryHandler> binaryHandlers = new CopyOnWriteArrayList<>();

    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();

    /**
     * @param id a unique id within the transport server, for logs
     * @param handshake the handshake the connection was opened with
     * @param subprotocol the agreed subprotocol, or the empty string
     */
    protected AbstractConnection(String id, Handshake handshake, String subprotocol) {
        this.id = Objects.requireNonNull(id, "id");
        this.handshake = Objects.requireNonNull(handshake, "handshake");
        this.subprotocol = Objects.requireNonNull(subprotocol, "subprotocol");
    }

    /**
     * Hands a text message to the library's send queue. Called only while the connection is open;
     * must not block.
     *
     * @param text the message
     * @return false if the library reports the connection closed
     */
    protected abstract boolean sendText(String text);

    /**
     * Starts the library's closing handshake. Called at most once; must not block. The {@code close}
     * event is delivered right after it returns, with this code and reason; the library then completes
     * the closing handshake, or cuts the socket after the close grace period (what the adapter reports
     * of it with {@link #fireClose} is ignored). A close the library starts by itself (a frame over the
     * limit, a protocol error) is reported with {@link #fireClose} as soon as the library sends its
     * close frame, without waiting for the peer's answer either.
     *
     * @param code a sendable close code
     * @param reason a reason of at most 123 bytes of UTF-8
     */
    protected abstract void sendClose(int code, String reason);

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Handshake handshake() {
        return handshake;
    }

    @Override
    public final String subprotocol() {
        return subprotocol;
    }

    @Override
    public final boolean send(String text) {
        Objects.requireNonNull(text, "text");
        return state == State.OPEN && sendText(text);
    }

    /**
     * Queues a message that fan-out sends to many connections, as {@link #send(String)} does; a
     * transport that can send one encoded frame to many connections overrides
     * {@link #sendShared}. Never blocks.
     *
     * @param text the message
     * @return true if it was queued; false if the connection is closing or closed
     */
    public final boolean send(SharedText text) {
        Objects.requireNonNull(text, "text");
        return state == State.OPEN && sendShared(text);
    }

    /**
     * Hands a shared message to the library's send queue; by default as {@link #sendText} with its
     * text. Called only while the connection is open; must not block.
     *
     * @param text the message
     * @return false if the library reports the connection closed
     */
    protected boolean sendShared(SharedText text) {
        return sendText(text.text());
    }

    @Override
    public final void close(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!CloseCodes.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > CloseCodes.MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason longer than 123 bytes of UTF-8: " + reason);
        }
        if (closeFired.get() || !closeStarted.compareAndSet(false, true)) {
            return;
        }
        state = State.CLOSING;
        sendClose(code, reason);
        // Ended for its handlers now, not when the peer answers: a peer that never answers the close
        // frame must not hold its place (a member, its name) for the grace period, or for good.
        fireClose(code, reason);
    }

    /**
     * How many bytes wait to be written to the peer: queued by {@code send} and not yet taken by the
     * socket. An estimate, read without locks; for metrics. Thread-safe.
     *
     * @return the bytes waiting, 0 once the connection is closed, or -1 if the transport cannot tell
     */
    public final long queuedBytes() {
        return closeFired.get() ? 0 : measureQueuedBytes();
    }

    /**
     * The transport's measure for {@link #queuedBytes()}; by default -1, it cannot tell. Called from
     * any thread; must not block.
     *
     * @return the bytes waiting to be written, or -1
     */
    protected long measureQueuedBytes() {
        return -1;
    }

    @Override
    public final boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public final Registration onOpen(OpenHandler handler) {
        return register(openHandlers, handler);
    }

    @Override
    public final Registration onMessage(MessageHandler handler) {
        return register(messageHandlers, handler);
    }

    @Override
    public final Registration onClose(CloseHandler handler) {
        return register(closeHandlers, handler);
    }

    @Override
    public final Registration onError(ErrorHandler handler) {
        return register(errorHandlers, handler);
    }

    /**
     * Opens a connection whose handshake has just completed: hands it to the handler
     * ({@link ConnectionHandler#connected}), then delivers its {@code open} event. A handler that
     * throws is logged and the connection closed with {@link CloseCodes#INTERNAL_ERROR 1011}, without
     * an {@code open} event. This is how an adapter opens every connection; call it once, before
     * firing any other event.
     *
     * @param handler the handler the transport was started with
     */
    protected final void handOver(ConnectionHandler handler) {
        try {
            handler.connected(this);
        } catch (RuntimeException e) {
            log.warn("The connection handler failed on {}", this, e);
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
        fireOpen();
    }

    private void fireOpen() {
        deliver(() -> {
            if (state == State.NEW) {
                state = State.OPEN;
                dispatch(openHandlers, OpenHandler::onOpen, true);
            }
        });
    }

    /**
     * A whole text message arrived; delivers it unless the connection is closing or closed.
     *
     * @param text the message
     */
    protected final void fireMessage(String text) {
        Objects.requireNonNull(text, "text");
        deliver(() -> {
            if (state == State.OPEN) {
                dispatch(messageHandlers, h -> h.onMessage(text), true);
            }
        });
    }

    /**
     * A binary message arrived, its content not kept. wschat is a text protocol: the connection is
     * closed with {@link CloseCodes#UNSUPPORTED_DATA 1003}.
     */
    protected final void fireBinary() {
        close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported");
    }

    /**
     * A whole binary message arrived. Delivered to the {@linkplain #onBinary binary handlers} if there
     * are any (the kit's echo); without one, the connection is closed with
     * {@link CloseCodes#UNSUPPORTED_DATA 1003}, as wschat's chat does.
     *
     * @param data the message; the handlers may keep it
     */
    protected final void fireBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (binaryHandlers.isEmpty()) {
            fireBinary();
            return;
        }
        deliver(() -> {
            if (state == State.OPEN) {
                dispatch(binaryHandlers, h -> h.onBinary(data), true);
            }
        });
    }

    /**
     * Registers a handler for binary messages, a capability beside the {@link Connection} API (which
     * is text only): without one, a binary message closes the connection with 1003. The transport test
     * kit's echo uses it.
     *
     * @param handler the handler
     * @return a registration that removes it
     */
    public final Registration onBinary(BinaryHandler handler) {
        return register(binaryHandlers, handler);
    }

    /**
     * Queues a binary message, as {@link #send(String)} queues text; never blocks.
     *
     * @param data the message, from its position to its limit
     * @return true if it was queued; false if the connection is closing or closed, or the transport
     *     cannot send binary messages
     */
    public final boolean sendBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return state == State.OPEN && sendBinaryMessage(data);
    }

    /**
     * Hands a binary message to the library's send queue, for {@link #sendBinary}; by default the
     * transport cannot, and nothing is sent. Called only while the connection is open; must not block.
     *
     * @param data the message
     * @return false if it was not queued
     */
    protected boolean sendBinaryMessage(ByteBuffer data) {
        return false;
    }

    /** Handles one binary message from the peer. */
    @FunctionalInterface
    public interface BinaryHandler {
        /**
         * A whole binary message arrived.
         *
         * @param data the message
         */
        void onBinary(ByteBuffer data);
    }

    /**
     * The library reported an error on this connection; delivers it unless the connection is
     * closed.
     *
     * @param error what went wrong
     */
    protected final void fireError(Throwable error) {
        Objects.requireNonNull(error, "error");
        deliver(() -> dispatch(errorHandlers, h -> h.onError(error), false));
    }

    /**
     * The connection is closed; delivers {@code close} once. Later calls, and every event fired
     * after the first call, are ignored.
     *
     * @param code the close code, {@link CloseCodes#ABNORMAL 1006} if there was no close frame
     * @param reason the close reason, possibly empty
     */
    protected final void fireClose(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!closeFired.compareAndSet(false, true)) {
            return;
        }
        events.add(() -> {
            state = State.CLOSED;
            dispatch(closeHandlers, h -> h.onClose(code, reason), false);
            openHandlers.clear();
            messageHandlers.clear();
            closeHandlers.clear();
            errorHandlers.clear();
            binaryHandlers.clear();
        });
        drain();
    }

    private void deliver(Runnable event) {
        if (closeFired.get()) {
            return;
        }
        events.add(event);
        drain();
    }

    // One thread at a time delivers; the others leave their events in the queue and return, so a
    // transport thread never waits for another connection's or another thread's handler.
    private void drain() {
        while (!events.isEmpty() && delivering.compareAndSet(false, true)) {
            try {
                Runnable event;
                while ((event = events.poll()) != null) {
                    event.run();
                }
            } finally {
                delivering.set(false);
            }
        }
    }

    private <H> void dispatch(List<H> handlers, Consumer<H> call, boolean fatal) {
        for (H handler : handlers) {
            try {
                call.accept(handler);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
                log.warn("A handler of connection {} ({}) threw", id, handshake.path(), e);
                if (fatal) {
                    dispatch(errorHandlers, h -> h.onError(e), false);
                    close(CloseCodes.INTERNAL_ERROR, "internal error");
                }
            }
        }
    }

    private static <H> Registration register(List<H> handlers, H handler) {
        Objects.requireNonNull(handler, "handler");
        handlers.add(handler);
        return () -> handlers.remove(handler);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + " " + handshake.path() + " " + state + "]";
    }
}
