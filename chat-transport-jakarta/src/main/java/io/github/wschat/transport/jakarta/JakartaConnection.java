package io.github.wschat.transport.jakarta;

import com.google.common.base.Utf8;
import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.SharedText;
import jakarta.websocket.CloseReason;
import jakarta.websocket.PongMessage;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta WebSocket session behind the wschat {@link io.github.wschat.Connection} API.
 *
 * <p>Sending: messages wait in this connection's own queue and go to the asynchronous remote endpoint
 * one at a time (the API allows one message in flight per session), the next one from the completion
 * of the last. The budget counts the UTF-8 bytes in the queue and in flight; over it, the connection is
 * dropped with 1008 at once. A close frame takes its place in the queue after the messages sent before
 * it.
 */
final class JakartaConnection extends AbstractConnection {

    private static final Logger log = LoggerFactory.getLogger(JakartaConnection.class);
    /** Tomcat's per-session limit on a blocking send (a close frame, a ping), in milliseconds. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    /**
     * Tomcat's limit on sending the close frame of a close it starts itself for a protocol error (1002,
     * 1007, 1009), in milliseconds; 50 by default. The frame waits until the message in flight before it
     * is done — the last echo may already be at the peer while Tomcat has not yet run the completion that
     * lets the next frame go — and past the limit Tomcat drops the socket without its close frame (a
     * loaded machine took longer than 50 ms, and the kit saw the server hang up without a close frame).
     * The close grace, and at least {@link #ABNORMAL_CLOSE_FLOOR}: a CI run with every module's tests at
     * once (two cores) once took longer than the kit's 2 s grace too. It holds one container thread of
     * a peer that broke the protocol, at most that long.
     */
    private static final String TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT =
            "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";
    /** The least time Tomcat's close frame for a protocol error may wait for the message in flight. */
    static final java.time.Duration ABNORMAL_CLOSE_FLOOR = java.time.Duration.ofSeconds(10);
    /** A message's UTF-8 size; for a {@link SharedText}, counted once for all members. */
    private static final Function<String, Long> UTF8_BYTES = text -> (long) Utf8.encodedLength(text);
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);
    /** The container's text buffer, in characters: messages longer than this arrive in parts. */
    private static final int PART_CHARS = 8 * 1024;

    /** A message to send: text, or (the kit's echo) binary with {@code text} null. */
    private record Outgoing(String text, ByteBuffer binary, long bytes) {
    }

    private record Closing(int code, String reason) {
    }

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final MountedServer server;
    private final long maxQueuedBytes;
    private final int maxMessageBytes;
    private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Held while a message is in flight, or while one thread hands the next one to the container. */
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Whether the container batches this session's messages until {@link #flush}. */
    private final boolean batching;
    /** Whether a batched message was handed to the container since the last flush; written holding 'sending'. */
    private volatile boolean unflushed;
    // Confined to the container's delivery of this session's text, one part at a time.
    private StringBuilder parts;
    private java.io.ByteArrayOutputStream binaryParts;
    private long partBytes;
    private boolean refusing;
    private volatile long lastHeard = System.nanoTime();
    private volatile long lastPing = lastHeard;
    private volatile int sentCloseCode;
    private volatile String sentCloseReason = "";

    JakartaConnection(String id, Handshake handshake, String subprotocol, Session session, MountedServer server) {
        super(id, handshake, subprotocol);
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.server = server;
        this.batching = server.batching() && allowBatching(remote);
        this.maxQueuedBytes = server.options().maxQueuedBytes();
        this.maxMessageBytes = server.options().maxMessageBytes();
    }

    /** Registers the handlers and the session's limits; called from the endpoint's {@code onOpen}. */
    void listen() {
        // Text arrives in parts of at most PART_CHARS, joined here with the limit counted in UTF-8 bytes:
        // a container's own limit counts characters (Tomcat) or bytes (Jetty), and Tomcat allocates a
        // buffer of its full size for every session, which for a 1 MiB limit is 2 MiB per connection.
        session.setMaxTextMessageBufferSize(Math.min(maxMessageBytes, PART_CHARS));
        session.setMaxIdleTimeout(0); // dead peers are found by the pings
        Long grace = Math.max(1, server.options().closeGracePeriod().toMillis());
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, grace);
        session.getUserProperties().put(TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT, Math.max(grace, ABNORMAL_CLOSE_FLOOR.toMillis()));
        session.addMessageHandler(String.class, (jakarta.websocket.MessageHandler.Partial<String>) this::received);
        session.addMessageHandler(PongMessage.class, (jakarta.websocket.MessageHandler.Whole<PongMessage>) pong -> heard());
        session.setMaxBinaryMessageBufferSize(Math.min(maxMessageBytes, PART_CHARS));
        session.addMessageHandler(ByteBuffer.class, (jakarta.websocket.MessageHandler.Partial<ByteBuffer>) this::receivedBinary);
    }

    void open(ConnectionHandler handler) {
        handOver(handler);
    }

    /** A part of a text message; the container calls these one at a time, in order. */
    private void received(String part, boolean last) {
        if (!admitPart(utf8Bytes(part), last)) {
            return;
        }
        if (last) {
            String message = parts == null ? part : parts.append(part).toString();
            parts = null;
            partBytes = 0;
            fireMessage(message);
        } else {
            if (parts == null) {
                parts = new StringBuilder(part.length() * 2);
            }
            parts.append(part);
        }
    }

    /** A part of a binary message, joined as text is, within the same limit. */
    private void receivedBinary(ByteBuffer part, boolean last) {
        if (!admitPart(part.remaining(), last)) {
            return;
        }
        if (binaryParts == null) {
            binaryParts = new java.io.ByteArrayOutputStream(part.remaining());
        }
        byte[] bytes = new byte[part.remaining()];
        part.get(bytes);
        binaryParts.writeBytes(bytes);
        if (last) {
            ByteBuffer message = ByteBuffer.wrap(binaryParts.toByteArray());
            binaryParts = null;
            partBytes = 0;
            fireBinary(message);
        }
    }

    /**
     * Counts a part of a message, text or binary, against the message limit: false if the message is
     * being refused (the rest of one over the limit), or goes over it now — then the connection is
     * closed with 1009 and the parts so far dropped.
     */
    private boolean admitPart(long bytes, boolean last) {
        heard();
        if (refusing) {
            refusing = !last;
            return false;
        }
        partBytes += bytes;
        if (partBytes > maxMessageBytes) {
            parts = null;
            binaryParts = null;
            partBytes = 0;
            refusing = !last;
            close(CloseCodes.MESSAGE_TOO_BIG, "message over " + maxMessageBytes + " bytes");
            return false;
        }
        return true;
    }

    /** Binary goes as a message of its own in the queue, within the same budget as text. */
    @Override
    protected boolean sendBinaryMessage(ByteBuffer data) {
        return enqueue(new Outgoing(null, data.duplicate(), data.remaining()));
    }

    /** UTF-8 bytes of a part; each half of a surrogate pair counts 2, as a part may end between them. */
    private static long utf8Bytes(String part) {
        long bytes = part.length();
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c >= 0x80) {
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    private void heard() {
        lastHeard = System.nanoTime();
    }

    void failed(Throwable error) {
        fireError(error);
        if (lostConnection(error)) {
            // Tomcat 11 reports a peer that reset the connection this way (an IOException from its
            // write side) and then no close until the server stops: the member would stay, holding its
            // name. A failed socket is a lost connection: closed now (1006), as a dead peer is.
            ended(CloseCodes.ABNORMAL, "connection lost: " + error.getMessage());
            server.runBlocking(() -> closeSession(CloseCodes.GOING_AWAY, "connection lost"));
        }
    }

    /**
     * Whether the error is the socket's: an I/O failure, anywhere in its causes. Not a protocol error
     * the container closes the session for itself, with its close frame (Tomcat's {@code WsIOException},
     * an IOException that carries the {@link CloseReason}, e.g. 1002 for a reserved bit set): closing
     * the session here as well raced with that close frame, and the client sometimes got the socket
     * closed without it.
     */
    private static boolean lostConnection(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (carriesCloseReason(cause)) {
                return false;
            }
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static boolean carriesCloseReason(Throwable error) {
        try {
            return error.getClass().getMethod("getCloseReason").getReturnType() == CloseReason.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Lets the container batch messages; false where it refuses. */
    private static boolean allowBatching(RemoteEndpoint.Async remote) {
        try {
            remote.setBatchingAllowed(true);
            return remote.getBatchingAllowed();
        } catch (IOException | RuntimeException e) {
            log.debug("The container does not batch: {}", e.toString());
            return false;
        }
    }

    @Override
    protected boolean sendText(String text) {
        return enqueue(text, Utf8.encodedLength(text));
    }

    @Override
    protected boolean sendShared(SharedText text) {
        return enqueue(text.text(), text.wireForm(UTF8_BYTES));
    }

    private boolean enqueue(String text, long bytes) {
        return enqueue(new Outgoing(text, null, bytes));
    }

    private boolean enqueue(Outgoing message) {
        long bytes = message.bytes();
        if (queuedBytes.addAndGet(bytes) > maxQueuedBytes) {
            queuedBytes.addAndGet(-bytes);
            tooSlow("too slow: more than " + maxQueuedBytes + " bytes queued");
            return false;
        }
        outbox.add(message);
        pump();
        return true;
    }

    /** Ends a member that does not read: closed now (1008), its queue dropped. */
    private void tooSlow(String reason) {
        // Drop at once: a close frame would wait behind the whole queue of a peer that does not read.
        outbox.clear();
        sentCloseCode = CloseCodes.POLICY_VIOLATION;
        sentCloseReason = reason;
        ended(CloseCodes.POLICY_VIOLATION, reason);
        server.runBlocking(() -> closeSession(CloseCodes.POLICY_VIOLATION, reason));
    }

    @Override
    protected long measureQueuedBytes() {
        return queuedBytes.get();
    }

    @Override
    protected void sendClose(int code, String reason) {
        sentCloseReason = reason;
        sentCloseCode = code;
        outbox.add(new Closing(code, reason));
        pump();
    }

    /**
     * Hands queued messages to the container, one in flight. A container may complete a send inside
     * the call that started it; then this loop, not the completion, sends the next, so that the stack
     * does not grow with the queue.
     */
    private void pump() {
        while (true) {
            send();
            // Batching: once the queue is empty and nothing is in flight, what the container holds goes out.
            if (!batching || !unflushed || !outbox.isEmpty() || !sending.compareAndSet(false, true)) {
                return;
            }
            if (outbox.isEmpty()) {
                unflushed = false;
                server.runFlush(this::flush);
                return;
            }
            sending.set(false); // a message came meanwhile: it goes first, the flush after it
        }
    }

    /**
     * Writes what the container holds of batched messages; on a thread that may block. A flush that
     * fails (the peer reads nothing within the container's send timeout, or the socket broke) ends the
     * connection as a slow reader's.
     */
    private void flush() {
        try {
            remote.flushBatch();
        } catch (IOException | RuntimeException e) {
            log.debug("Flushing {} failed", this, e);
            sending.set(false);
            tooSlow("too slow: a write did not complete in time");
            return;
        }
        sending.set(false);
        pump();
    }

    /** Hands queued messages to the container while none is in flight. */
    private void send() {
        while (!outbox.isEmpty() && sending.compareAndSet(false, true)) {
            Object next = outbox.poll();
            if (next == null) {
                sending.set(false);
                continue;
            }
            if (next instanceof Closing closing) {
                // Nothing is sent after a close frame: 'sending' stays held.
                server.runBlocking(() -> closeSession(closing.code(), closing.reason()));
                return;
            }
            Outgoing message = (Outgoing) next;
            // 0: in the call; 1: completed inside the call; 2: the call returned first.
            AtomicInteger phase = new AtomicInteger();
            try {
                jakarta.websocket.SendHandler done = result -> {
                    sent(message, result);
                    if (!phase.compareAndSet(0, 1)) {
                        pump();
                    }
                };
                unflushed = batching;
                if (message.text() != null) {
                    remote.sendText(message.text(), done);
                } else {
                    remote.sendBinary(message.binary(), done);
                }
            } catch (RuntimeException closed) {
                // The session is closing or closed: the container reports the close.
                log.debug("Send on {} refused", this, closed);
                queuedBytes.addAndGet(-message.bytes());
                outbox.clear();
                return;
            }
            if (phase.compareAndSet(0, 2)) {
                return;
            }
        }
    }

    private void sent(Outgoing message, SendResult result) {
        queuedBytes.addAndGet(-message.bytes());
        if (!result.isOK()) {
            log.debug("Send on {} failed", this, result.getException());
        }
        sending.set(false);
    }

    private void closeSession(int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | RuntimeException e) {
            log.debug("Closing {} failed", this, e);
        }
    }

    /**
     * The ping check, once an interval: a peer that has answered neither the last ping, sent at the
     * check before, nor anything else for one and a half intervals is closed (1006); a peer silent for
     * half an interval is pinged, when nothing is in flight to it. A ping waiting for a thread
     * delays the verdict rather than hastening it.
     */
    void checkAlive(long now, long intervalNanos) {
        long heard = lastHeard;
        long pinged = lastPing;
        long silent = now - heard;
        if (pinged - heard > 0 && now - pinged >= intervalNanos / 2 && silent > intervalNanos + intervalNanos / 2) {
            String reason = "no answer to ping in " + TimeUnit.NANOSECONDS.toMillis(now - pinged) + " ms";
            ended(CloseCodes.ABNORMAL, reason);
            server.runBlocking(() -> closeSession(CloseCodes.GOING_AWAY, "no answer to ping"));
        } else if (silent >= intervalNanos / 2 && !sending.get()) {
            server.runBlocking(() -> {
                try {
                    lastPing = System.nanoTime();
                    remote.sendPing(NO_PAYLOAD.duplicate());
                } catch (IOException | RuntimeException e) {
                    log.debug("Ping on {} failed", this, e);
                }
            });
        }
    }

    /**
     * The container reports the session closed. A close this side started reports the code and reason
     * it sent: containers differ in what they report for it.
     */
    void closedByContainer(int code, String reason) {
        int sent = sentCloseCode;
        if (sent != 0) {
            ended(sent, sentCloseReason);
        } else {
            ended(code, reason == null ? "" : reason);
        }
    }

    void ended(int code, String reason) {
        server.ended(this);
        fireClose(code, reason);
    }
}
