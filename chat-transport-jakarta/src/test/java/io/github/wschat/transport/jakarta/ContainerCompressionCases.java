package io.github.wschat.transport.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Compression;
import io.github.wschat.tck.CompressingJavaWebSocketClient;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.extensions.DefaultExtension;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
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
        CompressingJavaWebSocketClient client = new CompressingJavaWebSocketClient(
                URI.create("ws://127.0.0.1:" + chat.address().getPort() + "/chat"));
        BlockingQueue<String> received = client.received();
        try {
            assertTrue(client.connectBlocking(20, TimeUnit.SECONDS), "connected");
            client.send(LINE);
            String line;
            do {
                line = received.poll(20, TimeUnit.SECONDS);
            } while (line != null && !line.endsWith(": " + LINE));
            assertEquals(true, line != null, "the line came back");
            return client.extension();
        } finally {
            client.closeBlocking();
        }
    }
}
