package io.github.wschat.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.Connection;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import io.github.wschat.Handshake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Netty transport writes its 101 itself (not through Netty's handshaker): what it answers, byte
 * by byte, to handshakes good and bad, on a raw socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyHandshakeTest {

    private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private TransportServer server;

    @BeforeEach
    void start() throws IOException {
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public Admission admit(Handshake handshake) {
                return handshake.offeredSubprotocols().contains("tck.v1") ? Admission.accept("tck.v1") : Admission.accept();
            }

            @Override
            public void connected(Connection connection) {
                connections.add(connection);
            }
        };
        server = new NettyTransport().start(TransportOptions.builder().host("127.0.0.1").port(0).build(), handler);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theAcceptKeyIsTheRfcsExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeResponse.accept(RFC_KEY), "RFC 6455 section 1.3");
    }

    @Test
    void aGoodHandshakeGetsThe101WithTheAcceptKeyAndTheAgreedSubprotocol() throws IOException {
        String head = exchange("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: other, tck.v1\r\n\r\n");
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                + "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nsec-websocket-protocol: tck.v1\r\n\r\n", head);
    }

    @Test
    void withoutAKeyTheHandshakeIsRefusedWith400AndSaysWhy() throws IOException {
        String head = exchange("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        assertRefused(head, "no Sec-WebSocket-Key");
        assertEquals(0, connections.size());
    }

    @Test
    void withoutConnectionUpgradeTheHandshakeIsRefusedWith400() throws IOException {
        String head = exchange("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
                + "Sec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertRefused(head, "no Connection: Upgrade");
    }

    @Test
    void aHandshakeWithABodyIsRefusedWith400() throws IOException {
        String head = exchange("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\nContent-Length: 5\r\n\r\nhello");
        assertRefused(head, "it has a body");
        assertEquals(0, connections.size());
    }

    @Test
    void headersOfSixteenKibibytesLessALittleAreRead() throws IOException {
        String cookie = "c=" + "x".repeat(ChannelSetup.MAX_HANDSHAKE_BYTES - 1024);
        String head = exchange("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Cookie: " + cookie + "\r\nSec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    }

    @Test
    void headersPastTheLimitAreRefusedWith400() throws IOException {
        String cookie = "c=" + "x".repeat(ChannelSetup.MAX_HANDSHAKE_BYTES + 1024);
        String head = exchange("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Cookie: " + cookie + "\r\nSec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 400 "), head);
        assertEquals(0, connections.size());
    }

    /** A 400 whose one-line body ends with the reason. */
    private static void assertRefused(String response, String reason) {
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.endsWith(reason + "\n"), response);
    }

    /** Sends the request and reads the answer: a 101's head, or a refusal's whole response (it closes). */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                read.write(b);
                String sofar = read.toString(StandardCharsets.ISO_8859_1);
                if (sofar.startsWith("HTTP/1.1 101") && sofar.endsWith("\r\n\r\n")) {
                    break;
                }
            }
            return read.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
