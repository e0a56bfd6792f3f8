package io.github.wschat.transport.netty;

import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.DedicatedDeflater;
import io.github.wschat.spi.PerMessageDeflate;
import io.github.wschat.spi.SharedText;
import io.github.wschat.spi.TextFrames;
import io.github.wschat.spi.TransportOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.SystemPropertyUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty channel behind the wschat {@link io.github.wschat.Connection} API. Sending, from any
 * thread, puts the frame on this connection's queue and marks it in its event loop's
 * {@link Outbox}; the event loop writes the queue and flushes once ({@link #writeQueued}). The
 * outbound budget covers this queue and Netty's outbound buffer together.
 */
final class NettyConnection extends AbstractConnection {

    private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);

    private static final AtomicLongFieldUpdater<NettyConnection> QUEUED =
            AtomicLongFieldUpdater.newUpdater(NettyConnection.class, "queuedBytes");
    private static final AtomicIntegerFieldUpdater<NettyConnection> MARKED =
            AtomicIntegerFieldUpdater.newUpdater(NettyConnection.class, "marked");
    private static final AtomicIntegerFieldUpdater<NettyConnection> DROPPED =
            AtomicIntegerFieldUpdater.newUpdater(NettyConnection.class, "dropped");
    private static final AtomicReferenceFieldUpdater<NettyConnection, Report> REPORT =
            AtomicReferenceFieldUpdater.newUpdater(NettyConnection.class, Report.class, "report");
    // Small chunks: an idle connection's queue costs a few hundred bytes, a busy one grows by chunks.
    private static final int QUEUE_CHUNK = 16;
    private static final int QUEUE_CAPACITY = 1 << 30;
    // As ChannelOutboundBuffer counts each entry.
    private static final int ENTRY_OVERHEAD =
            SystemPropertyUtil.getInt("io.netty.transport.outboundBufferEntrySizeOverhead", 96);

    private record Report(int code, String reason) {
    }

    private final Channel channel;
    private final NettyServer server;
    private final TextFrames<ByteBuf> textFrames;
    /** What the client negotiated, or null for no compression. */
    private final PerMessageDeflate deflate;
    /** The window kept for this client (dedicated compression with context takeover), made at first use; or null. */
    private final DedicatedDeflater ownDeflater;
    private final Outbox outbox;
    private final long maxQueuedBytes;
    private final long closeGraceNanos;
    private final Queue<Object> queue = PlatformDependent.newMpscQueue(QUEUE_CHUNK, QUEUE_CAPACITY);
    private volatile Report report;
    private volatile long queuedBytes;
    // Payload bytes in Netty's outbound buffer, as last measured on the event loop (after each pass
    // and whenever writability changes), so that senders on other threads can check the budget.
    private volatile long nettyBytes;
    private volatile int marked;
    private volatile int dropped;
    private ChannelHandlerContext frames; // the frame stage; written and read on the event loop
    private boolean closeSent;            // event loop only
    private boolean failureLogged;        // event loop only

    NettyConnection(String id, Handshake handshake, String subprotocol, Channel channel, NettyServer server,
            TransportOptions options, PerMessageDeflate deflate) {
        super(id, handshake, subprotocol);
        this.channel = channel;
        this.server = server;
        this.textFrames = server.textFrames();
        this.deflate = deflate;
        this.ownDeflater = deflate != null && !deflate.serverNoContextTakeover()
                ? new DedicatedDeflater(textFrames.compression().level()) : null;
        this.outbox = server.outboxOf(channel);
        this.maxQueuedBytes = options.maxQueuedBytes();
        this.closeGraceNanos = Math.max(1, options.closeGracePeriod().toNanos());
    }

    Channel channel() {
        return channel;
    }

    void attach(ChannelHandlerContext frameStage) {
        this.frames = frameStage;
    }

    // ---- sending: any thread ----

    @Override
    protected boolean sendText(String text) {
        if (ownDeflater != null) {
            return sendDedicated(text);
        }
        return enqueue(deflate == null ? textFrames.single(text) : textFrames.single(text, deflate));
    }

    /**
     * Fan-out: one frame for every member, encoded (and compressed) once; each queue gets its own view
     * of the same bytes.
     */
    @Override
    protected boolean sendShared(SharedText text) {
        if (ownDeflater != null) {
            return sendDedicated(text.text());
        }
        return enqueue((deflate == null ? textFrames.shared(text) : textFrames.shared(text, deflate)).duplicate());
    }

    /** Binary goes plain, also where compression was agreed (a message may be sent uncompressed). */
    @Override
    protected boolean sendBinaryMessage(ByteBuffer data) {
        int length = data.remaining();
        ByteBuf frame = channel.alloc().buffer(length + 10);
        frame.writeByte(0x82);
        if (length < 126) {
            frame.writeByte(length);
        } else if (length < 65536) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
        frame.writeBytes(data.duplicate());
        return enqueue(frame);
    }

    /** Compressed with this client's window: compressed and queued in one step, in the order the client inflates. */
    private boolean sendDedicated(String text) {
        return ownDeflater.use(window -> dropped == 0 && enqueue(textFrames.dedicated(text, window)));
    }

    private boolean enqueue(ByteBuf frame) {
        if (dropped != 0) {
            return false;
        }
        int size = frame.readableBytes();
        if (QUEUED.addAndGet(this, size) + nettyBytes > maxQueuedBytes || !queue.offer(frame)) {
            QUEUED.addAndGet(this, -size);
            tooSlow();
            return false;
        }
        mark();
        return true;
    }

    private void mark() {
        if (MARKED.compareAndSet(this, 0, 1)) {
            outbox.mark(this);
        }
    }

    /**
     * The payload bytes in Netty's outbound buffer. Netty counts each entry with a fixed overhead
     * (96 bytes unless configured otherwise), which would make a reader of many small frames look
     * several times slower than it is; the budget counts bytes. Event loop only: the entry count is
     * the loop's.
     */
    private long outboundPayload() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        return outbound == null ? 0 : Math.max(0, outbound.totalPendingWriteBytes() - ENTRY_OVERHEAD * outbound.size());
    }

    @Override
    protected long measureQueuedBytes() {
        return queuedBytes + nettyBytes;
    }

    /** Queued behind what was sent before it, so the peer gets every message sent before the close. */
    @Override
    protected void sendClose(int code, String reason) {
        queue.offer(new CloseWebSocketFrame(code, reason));
        mark();
    }

    // ---- the event loop ----

    /** Writes everything queued, then flushes once. Called by the {@link Outbox} on this channel's event loop. */
    void writeQueued() {
        MARKED.set(this, 0);
        ChannelHandlerContext ctx = frames;
        if (ctx == null || !channel.isActive() || closeSent) {
            discardQueue();
            return;
        }
        long bytes = 0;
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof CloseWebSocketFrame close) {
                sentClose(ctx, close);
                break;
            }
            ByteBuf frame = (ByteBuf) item;
            bytes += frame.readableBytes();
            ctx.write(frame, ctx.voidPromise());
        }
        QUEUED.addAndGet(this, -bytes);
        ctx.flush();
        checkBudget();
    }

    /** Event loop only: takes the outbound buffer's measure, then drops the connection if it is over budget. */
    void checkBudget() {
        long outbound = outboundPayload();
        nettyBytes = outbound;
        if (outbound + queuedBytes > maxQueuedBytes) {
            tooSlow();
        }
    }

    private void sentClose(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        closeSent = true;
        record(close.statusCode(), close.reasonText());
        ctx.write(close);
        discardQueue();
        // The peer answers with its close frame (peerClosed); one that does not is cut off after the grace period.
        ctx.executor().schedule(() -> {
            channel.close();
        }, closeGraceNanos, TimeUnit.NANOSECONDS);
    }

    private void discardQueue() {
        queue.clear();
        QUEUED.set(this, 0);
    }

    /**
     * Over budget: dropped at once, without a close frame that would wait behind the whole queue of a
     * peer that does not read; Netty frees its outbound buffer when the channel closes.
     */
    private void tooSlow() {
        if (DROPPED.compareAndSet(this, 0, 1)) {
            record(CloseCodes.POLICY_VIOLATION, "too slow: more than " + maxQueuedBytes + " bytes queued");
            channel.close();
        }
    }

    void opened(ConnectionHandler handler) {
        handOver(handler);
    }

    void received(String text) {
        fireMessage(text);
    }

    void receivedBinary(byte[] message) {
        fireBinary(ByteBuffer.wrap(message));
    }

    /** The peer's close frame: the answer to ours, or its own, which is echoed before the socket closes. */
    void peerClosed(int status, String reason) {
        if (closeSent) {
            channel.close();
            return;
        }
        closeSent = true;
        discardQueue();
        int code = status < 0 ? CloseCodes.NO_STATUS : status;
        record(code, reason == null ? "" : reason);
        CloseWebSocketFrame echo = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, "");
        frames.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    /** A protocol error found here rather than in Netty's decoder: close with its code, at once. */
    void failProtocol(int code, String reason) {
        closeSent = true;
        discardQueue();
        record(code, reason);
        frames.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        fireClose(code, reason); // ended now, as for a close wschat starts
    }

    /** Nothing read, not even a pong, for one and a half ping intervals. */
    void peerSilent() {
        record(CloseCodes.ABNORMAL, "no answer to pings");
        channel.close();
    }

    void pipelineFailed(Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            // Netty's decoder or UTF-8 check has sent the close frame with this code and closes the socket.
            record(corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
            log.debug("{} broke the protocol: {}", this, corrupted.getMessage());
            channel.close();
        } else if (cause instanceof CorruptedFrameException || cause instanceof IOException) {
            log.debug("{} failed", this, cause);
            channel.close();
        } else if (!failureLogged) {
            failureLogged = true;
            log.warn("The pipeline of {} failed; closing it with 1011", this, cause);
            fireError(cause);
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        } else {
            log.debug("{} failed again", this, cause);
        }
    }

    void channelClosed() {
        server.remove(this);
        discardQueue();
        if (ownDeflater != null) {
            ownDeflater.end();
        }
        Report closing = report;
        if (closing == null) {
            fireClose(CloseCodes.ABNORMAL, "");
        } else {
            fireClose(closing.code(), closing.reason());
        }
    }

    /** Closes a connection that was never handed out: its peer gets the close frame, no event is fired. */
    void closeUnannounced(int code, String reason) {
        frames.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** The first reason recorded is the one the close event reports. */
    private void record(int code, String reason) {
        REPORT.compareAndSet(this, null, new Report(code, reason));
    }
}
