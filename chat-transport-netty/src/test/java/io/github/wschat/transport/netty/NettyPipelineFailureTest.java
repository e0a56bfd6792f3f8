package io.github.wschat.transport.netty;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A failure inside a connection's pipeline ends that connection alone, with 1011, and is reported once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyPipelineFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void anExceptionInThePipelineClosesOnlyItsConnectionWith1011AndIsReportedOnce() throws Exception {
        List<Connection> connections = new CopyOnWriteArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        ConnectionHandler handler = connection -> {
            connection.onMessage(connection::send);
            connection.onError(error -> errors.incrementAndGet());
            connections.add(connection);
        };
        TransportOptions options = TransportOptions.builder().host("127.0.0.1").port(0).build();
        TransportServer server = new NettyTransport().start(options, handler);
        JdkWebSocketConnector connector = new JdkWebSocketConnector();
        try {
            TckClient failing = connector.connect(server, "/");
            await().atMost(WAIT).until(() -> connections.size() == 1);
            TckClient bystander = connector.connect(server, "/");
            await().atMost(WAIT).until(() -> connections.size() == 2);
            // A stage that fails on every frame, as a bug in a handler would; added on the channel's
            // own event loop, as a pipeline is changed.
            io.netty.channel.Channel channel = ((NettyConnection) connections.get(0)).channel();
            channel.eventLoop().submit(() -> channel.pipeline().addBefore("frames", "failing",
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            throw new IllegalStateException("a bug in the pipeline");
                        }
                    })).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                failing.send("frame " + i);
            }
            assertEquals(CloseCodes.INTERNAL_ERROR, failing.awaitClose(WAIT).code());
            bystander.send("still here");
            assertEquals("still here", bystander.nextMessage(WAIT));
            await().atMost(WAIT).until(() -> errors.get() >= 1);
            await().atMost(WAIT).until(() -> !connections.get(0).isOpen());
            assertEquals(1, errors.get(), "the failure is reported once, not once per frame");
        } finally {
            server.close();
            connector.close();
        }
    }
}
