package io.github.wschat.spi;

import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.Registration;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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

    // A connection lives as long as its peer stays, and a server holds tens of thousands: its flags
    // are bits of one int and its handlers copy-on-write arrays in fields of its own (an empty one
    // shared), rather than an atomic object per flag and a list object (and its lock) per event.
    private static final int CLOSE_FIRED = 1;
    private static final int CLOSE_STARTED = 2;
    private static final int DELIVERING = 4;
    private static final Object[] NONE = {};
    private static final VarHandle FLAGS;
    private static final VarHandle OPEN_HANDLERS;
    private static final VarHandle MESSAGE_HANDLERS;
    private static final VarHandle CLOSE_HANDLERS;
    private static final VarHandle ERROR_HANDLERS;
    private static final VarHandle BINARY_HANDLERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FLAGS = lookup.findVarHandle(AbstractConnection.class, "flags", int.class);
            OPEN_HANDLERS = lookup.findVarHandle(AbstractConnection.class, "openHandlers", Object[].class);
            MESSAGE_HANDLERS = lookup.findVarHandle(AbstractConnection.class, "messageHandlers", Object[].class);
            CLOSE_HANDLERS = lookup.findVarHandle(AbstractConnection.class, "closeHandlers", Object[].class);
            ERROR_HANDLERS = lookup.findVarHandle(AbstractConnection.class, "errorHandlers", Object[].class);
            BINARY_HANDLERS = lookup.findVarHandle(AbstractConnection.class, "binaryHandlers", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through FLAGS
    private volatile int flags;
    private volatile Object[] openHandlers = NONE;
    private volatile Object[] messageHandlers = NONE;
    private volatile Object[] closeHandlers = NONE;
    private volatile Object[] errorHandlers = NONE;
    private volatile Object[] binaryHandlers = NONE;

    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();

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
        if (isSet(CLOSE_FIRED) || !set(CLOSE_STARTED)) {
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
        return isSet(CLOSE_FIRED) ? 0 : measureQueuedBytes();
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
        return register(OPEN_HANDLERS, handler);
    }

    @Override
    public final Registration onMessage(MessageHandler handler) {
        return register(MESSAGE_HANDLERS, handler);
    }

    @Override
    public final Registration onClose(CloseHandler handler) {
        return register(CLOSE_HANDLERS, handler);
    }

    @Override
    public final Registration onError(ErrorHandler handler) {
        return register(ERROR_HANDLERS, handler);
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
                this.<OpenHandler>dispatch(openHandlers, OpenHandler::onOpen, true);
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
                this.<MessageHandler>dispatch(messageHandlers, h -> h.onMessage(text), true);
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
        if (binaryHandlers.length == 0) {
            fireBinary();
            return;
        }
        deliver(() -> {
            if (state == State.OPEN) {
                this.<BinaryHandler>dispatch(binaryHandlers, h -> h.onBinary(data), true);
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
        return register(BINARY_HANDLERS, handler);
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
        deliver(() -> this.<ErrorHandler>dispatch(errorHandlers, h -> h.onError(error), false));
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
        if (!set(CLOSE_FIRED)) {
            return;
        }
        events.add(() -> {
            state = State.CLOSED;
            this.<CloseHandler>dispatch(closeHandlers, h -> h.onClose(code, reason), false);
            openHandlers = NONE;
            messageHandlers = NONE;
            closeHandlers = NONE;
            errorHandlers = NONE;
            binaryHandlers = NONE;
        });
        drain();
    }

    private void deliver(Runnable event) {
        if (isSet(CLOSE_FIRED)) {
            return;
        }
        events.add(event);
        drain();
    }

    // One thread at a time delivers; the others leave their events in the queue and return, so a
    // transport thread never waits for another connection's or another thread's handler.
    private void drain() {
        while (!events.isEmpty() && set(DELIVERING)) {
            try {
                Runnable event;
                while ((event = events.poll()) != null) {
                    event.run();
                }
            } finally {
                FLAGS.getAndBitwiseAnd(this, ~DELIVERING);
            }
        }
    }

    /** Sets a flag; true if this call set it (it was clear). */
    private boolean set(int flag) {
        return ((int) FLAGS.getAndBitwiseOr(this, flag) & flag) == 0;
    }

    private boolean isSet(int flag) {
        return (flags & flag) != 0;
    }

    @SuppressWarnings("unchecked")
    private <H> void dispatch(Object[] handlers, Consumer<H> call, boolean fatal) {
        for (Object handler : handlers) {
            try {
                call.accept((H) handler);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
                log.warn("A handler of connection {} ({}) threw", id, handshake.path(), e);
                if (fatal) {
                    this.<ErrorHandler>dispatch(errorHandlers, h -> h.onError(e), false);
                    close(CloseCodes.INTERNAL_ERROR, "internal error");
                }
            }
        }
    }

    /** Adds a handler to the array in {@code field}; the registration removes it (one occurrence, once per call). */
    private Registration register(VarHandle field, Object handler) {
        Objects.requireNonNull(handler, "handler");
        Object[] before;
        Object[] after;
        do {
            before = (Object[]) field.getVolatile(this);
            after = Arrays.copyOf(before, before.length + 1);
            after[before.length] = handler;
        } while (!field.compareAndSet(this, before, after));
        return () -> remove(field, handler);
    }

    private void remove(VarHandle field, Object handler) {
        Object[] before;
        Object[] after;
        do {
            before = (Object[]) field.getVolatile(this);
            int at = Arrays.asList(before).indexOf(handler);
            if (at < 0) {
                return;
            }
            after = before.length == 1 ? NONE : new Object[before.length - 1];
            System.arraycopy(before, 0, after, 0, at);
            System.arraycopy(before, at + 1, after, at, before.length - at - 1);
        } while (!field.compareAndSet(this, before, after));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + " " + handshake.path() + " " + state + "]";
    }
}
