package io.github.wschat.transport.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Compression;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.DefaultExtension;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;

/**
 * The container's own permessage-deflate: declined by default whatever the compression setting;
 * negotiated (per member, by the container) where the transport was made
 * {@link JakartaTransport#withContainerCompression()} and compression is on; and the seed's chat works
 * either way, with Java-WebSocket's compressing client.
 */
abstract class ContainerCompressionCases {

    private static final String LINE = "a line of chat long enough to be compressed, a line of chat long enough";

    abstract EmbeddedContainer container(boolean containerCompression);

    @Test
    void theMountDeclinesCompressionByDefault() throws Exception {
        try (ChatServer chat = ChatServer.builder().transport(container(false)).host("127.0.0.1").port(0)
                .compression(Compression.dedicated()).start()) {
            assertInstanceOf(DefaultExtension.class, chatOnce(chat), "declined");
        }
    }

    @Test
    void withContainerCompressionTheContainerCompresses() throws Exception {
        try (ChatServer chat = ChatServer.builder().transport(container(true)).host("127.0.0.1").port(0)
                .compression(Compression.dedicated()).start()) {
            assertInstanceOf(PerMessageDeflateExtension.class, chatOnce(chat), "the container agreed");
        }
        try (ChatServer chat = ChatServer.builder().transport(container(true)).host("127.0.0.1").port(0)
                .compression(Compression.off()).start()) {
            assertInstanceOf(DefaultExtension.class, chatOnce(chat), "declined: compression is off");
        }
    }

    /** Says a line with a compressing client, reads it back, and returns the extension agreed. */
    private static IExtension chatOnce(ChatServer chat) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocketClient client = new WebSocketClient(URI.create("ws://127.0.0.1:" + chat.address().getPort() + "/chat"),
                new Draft_6455(new PerMessageDeflateExtension())) {
            @Override
            public void onOpen(ServerHandshake handshake) {
            }

            @Override
            public void onMessage(String message) {
                received.add(message);
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
            }

            @Override
            public void onError(Exception ex) {
            }
        };
        try {
            assertTrue(client.connectBlocking(20, TimeUnit.SECONDS), "connected");
            client.send(LINE);
            String line;
            do {
                line = received.poll(20, TimeUnit.SECONDS);
            } while (line != null && !line.endsWith(": " + LINE));
            assertEquals(true, line != null, "the line came back");
            return ((Draft_6455) ((WebSocketImpl) client.getConnection()).getDraft()).getExtension();
        } finally {
            client.closeBlocking();
        }
    }
}
