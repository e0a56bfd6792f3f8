package io.github.wschat.transport.netty;

import io.github.wschat.CloseCodes;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.LiveConnections;
import io.github.wschat.spi.PerMessageDeflate;
import io.github.wschat.spi.TransportOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake stage: drops a socket that completes no handshake within the deadline, asks the
 * connection handler to admit the request, answers a refusal with its status and reason, and
 * otherwise upgrades the pipeline to the frame stages and hands the connection out. One per channel.
 */
final class HandshakeStage extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HandshakeStage.class);

    private final NettyServer server;
    private final TransportOptions options;
    private final FrameDecoding decoding;
    private ScheduledFuture<?> deadline;
    // The request's head, from its arrival until the end of the request (a handshake has no body).
    private HttpRequest request;

    HandshakeStage(NettyServer server, TransportOptions options, FrameDecoding decoding) {
        this.server = server;
        this.options = options;
        this.decoding = decoding;
    }

    /**
     * The frame decoder's settings, made once per server (every connection's decoder shares them).
     * Strict RFC 6455: masked client frames only, no extensions, and a protocol error closes the
     * connection with its code (1002, 1007, 1009) before anything of the frame is buffered; with
     * permessage-deflate the decoder lets RSV1 through and the inflate stage checks the bits.
     */
    record FrameDecoding(WebSocketDecoderConfig plain, WebSocketDecoderConfig compressed) {

        static FrameDecoding of(TransportOptions options) {
            WebSocketDecoderConfig plain = WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(options.maxMessageBytes())
                    .expectMaskedFrames(true)
                    .allowMaskMismatch(false)
                    .allowExtensions(false)
                    .closeOnProtocolViolation(true)
                    .withUTF8Validator(true)
                    .build();
            return new FrameDecoding(plain, plain.toBuilder().allowExtensions(true).build());
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long timeout = options.handshakeTimeout().toNanos();
        if (timeout > 0) {
            deadline = ctx.executor().schedule(() -> {
                log.debug("No handshake from {} within {}; dropping the socket", ctx.channel().remoteAddress(),
                        options.handshakeTimeout());
                ctx.close();
            }, timeout, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            if (message instanceof HttpRequest head) {
                if (!head.decoderResult().isSuccess()) {
                    // Netty's codec hands a request it could not parse (bad line, headers too large) as one message.
                    refuse(ctx, Admission.refuse(400, "malformed HTTP request"));
                    return;
                }
                request = head;
            }
            if (message instanceof HttpContent content && request != null) {
                if (!content.decoderResult().isSuccess() || content.content().isReadable()) {
                    request = null;
                    refuse(ctx, Admission.refuse(400, "not a WebSocket handshake: it has a body"));
                } else if (message instanceof LastHttpContent) {
                    HttpRequest head = request;
                    request = null;
                    handshake(ctx, head);
                }
            }
            // Anything else (frames a client sent before it had the response) is dropped.
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void handshake(ChannelHandlerContext ctx, HttpRequest request) {
        if (!HttpMethod.GET.equals(request.method())
                || !HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE, ""))) {
            refuse(ctx, Admission.refuse(400, "not a WebSocket handshake"));
            return;
        }
        if (!request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            refuse(ctx, Admission.refuse(400, "not a WebSocket handshake: no Connection: Upgrade"));
            return;
        }
        String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null || key.isBlank()) {
            refuse(ctx, Admission.refuse(400, "not a WebSocket handshake: no Sec-WebSocket-Key"));
            return;
        }
        Handshake handshake;
        try {
            handshake = handshakeOf(request, ctx.channel());
        } catch (IllegalArgumentException malformed) {
            refuse(ctx, Admission.refuse(400, "malformed request target"));
            return;
        }
        Admission admission;
        try {
            admission = server.handler().admit(handshake);
        } catch (RuntimeException e) {
            log.warn("Admitting {} failed", handshake, e);
            admission = Admission.refuse(500, "internal error");
        }
        if (!admission.accepted()) {
            log.debug("Refused {}: {} {}", handshake, admission.status(), admission.reason());
            refuse(ctx, admission);
            return;
        }
        if (!"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        PerMessageDeflate deflate = PerMessageDeflate.negotiate(
                request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS), options.compression()).orElse(null);
        // Only a subprotocol the client offered is named in the answer (RFC 6455 section 4.2.2), as Netty's handshaker did.
        String subprotocol = admission.subprotocol().isEmpty()
                || handshake.offeredSubprotocols().contains(admission.subprotocol()) ? admission.subprotocol() : "";
        upgrade(ctx, key, subprotocol, deflate, new NettyConnection(server.nextId(), handshake, subprotocol,
                ctx.channel(), server, options, deflate));
    }

    /**
     * Completes the handshake: the HTTP stages give way to the frame decoder and encoder, the 101
     * response is written, and once it is, the frame stages take over from this one and the
     * connection is handed out and opened, in one task of the channel's event loop, so that no frame
     * it reads can come before the {@code open} event. (A client may not send frames before it has
     * the response; one that does has them dropped: they pass this stage unread.) Bytes that came
     * after the request in the same read go to the frame decoder.
     */
    private void upgrade(ChannelHandlerContext ctx, String key, String subprotocol, PerMessageDeflate deflate,
            NettyConnection connection) {
        Channel channel = ctx.channel();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.replace("http", "ws-decoder",
                new StrictFrameDecoder(deflate == null ? decoding.plain() : decoding.compressed()));
        pipeline.addBefore("ws-decoder", "ws-encoder", new WebSocket13FrameEncoder(false));
        ctx.writeAndFlush(UpgradeResponse.encode(ctx.alloc(), key, subprotocol,
                deflate == null ? null : deflate.responseHeader())).addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess()) {
                log.debug("Handshake with {} failed", channel.remoteAddress(), done.cause());
                channel.close();
                return;
            }
            if (deflate != null) {
                pipeline.addLast("inflate", new InflateStage(connection, deflate.newInflater(options.maxMessageBytes())));
            }
            pipeline.addLast("utf8", new Utf8FrameValidator(true));
            long idle = options.pingInterval().toNanos() * 3 / 4;
            if (idle > 0) {
                pipeline.addLast("idle", new IdleStateHandler(idle, 0, 0, TimeUnit.NANOSECONDS));
            }
            pipeline.addLast("frames", new FrameStage(connection, options.maxMessageBytes()));
            pipeline.remove(this);
            if (!server.add(connection)) {
                // The handshake completed while the server was stopping: the connection is never handed out.
                connection.closeUnannounced(CloseCodes.GOING_AWAY, LiveConnections.SHUTTING_DOWN);
                return;
            }
            connection.opened(server.handler());
        });
    }

    private static void refuse(ChannelHandlerContext ctx, Admission refusal) {
        ByteBuf body = Unpooled.copiedBuffer(refusal.reason().replaceAll("[\\r\\n]", " ") + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(refusal.status()), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static Handshake handshakeOf(HttpRequest request, Channel channel) {
        Map<String, List<String>> headers = new LinkedHashMap<>(32);
        for (Map.Entry<String, String> header : request.headers()) {
            List<String> before = headers.putIfAbsent(header.getKey(), List.of(header.getValue()));
            if (before != null) {
                List<String> all = new ArrayList<>(before);
                all.add(header.getValue());
                headers.put(header.getKey(), all);
            }
        }
        InetSocketAddress remote = channel.remoteAddress() instanceof InetSocketAddress address ? address
                : new InetSocketAddress(0);
        return Handshake.of(request.uri(), headers, remote);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Before its handshake, {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
