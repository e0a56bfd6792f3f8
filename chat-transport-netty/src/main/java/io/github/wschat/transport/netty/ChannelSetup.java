package io.github.wschat.transport.netty;

import io.github.wschat.spi.TransportOptions;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;

/**
 * The pipeline of a new connection, stage by stage, as a frame travels it. Until the upgrade: TLS
 * where configured, the HTTP codec (headers of up to {@value #MAX_HANDSHAKE_BYTES} bytes) and the
 * handshake stage (deadline, admission, upgrade; a request with a body is refused). The upgrade
 * replaces the HTTP codec with Netty's strict RFC 6455 frame codec and the handshake stage with the
 * UTF-8 check, the idle watch and the frame stage ({@link HandshakeStage#upgrade}).
 */
final class ChannelSetup extends ChannelInitializer<SocketChannel> {

    /** The largest handshake request accepted: headers of a browser with many cookies fit. */
    static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

    private final NettyServer server;
    private final TransportOptions options;
    private final HttpDecoderConfig decoding = new HttpDecoderConfig().setMaxHeaderSize(MAX_HANDSHAKE_BYTES);
    private final HandshakeStage.FrameDecoding frameDecoding;

    ChannelSetup(NettyServer server, TransportOptions options) {
        this.server = server;
        this.options = options;
        this.frameDecoding = HandshakeStage.FrameDecoding.of(options);
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (options.tls().isPresent()) {
            SSLEngine engine = options.tls().get().createSSLEngine();
            engine.setUseClientMode(false);
            pipeline.addLast("tls", new SslHandler(engine));
        }
        pipeline.addLast("http", new HttpServerCodec(decoding));
        pipeline.addLast("handshake", new HandshakeStage(server, options, frameDecoding));
    }
}
