package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.wschat.CloseCodes;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.Compression;
import io.github.wschat.spi.SharedText;
import io.github.wschat.spi.TransportOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kit's compression cases ({@code permessage-deflate}, RFC 7692), with the server started with
 * compression on ({@link #compression()}): negotiation and its parameters, compressed frames both
 * ways (fragmented, with context takeover or without), the client's window limit, one shared frame
 * for compressed and plain members, the protocol errors and their codes, and a decompression bomb.
 * A transport that does not compress ({@link TransportTck#compresses()} false) must decline the
 * extension and go on plain; only that case runs for it.
 */
abstract class CompressionCases extends KitCases {

    /** Compressed by any setting: well above the threshold, and repetitive enough to shrink. */
    static final String LONG = "a line of chat long enough to be worth compressing, and then the same line: "
            + "a line of chat long enough to be worth compressing";
    static final String SHORT = "hi";

    abstract Compression compression();

    @Override
    TransportOptions options(int port) {
        return super.options(port).toBuilder().compression(compression().threshold(32)).build();
    }

    private boolean compresses() {
        return kit().compresses();
    }

    private DeflateSocket open(String offer) throws IOException {
        return DeflateSocket.open(server.address().getPort(), "/", offer, WAIT);
    }

    @Test
    void aTransportThatDoesNotCompressDeclinesAndGoesOnPlain() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        assumeFalse(compresses(), "the transport compresses");
        try (DeflateSocket client = open("permessage-deflate; client_max_window_bits")) {
            assertNull(client.extensions(), "no extension agreed");
            client.send(DeflateSocket.FIN | DeflateSocket.TEXT, LONG.getBytes(StandardCharsets.UTF_8));
            DeflateSocket.Frame echo = client.next();
            assertFalse(echo.compressed());
            assertEquals(LONG, new String(echo.payload(), StandardCharsets.UTF_8));
            client.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT, DeflateSocket.deflateAlone(utf8(LONG)));
            assertEquals(CloseCodes.PROTOCOL_ERROR, client.awaitCloseCode(), "RSV1 without the extension");
        }
    }

    @Test
    void theOfferIsAcceptedAndLongLinesGoCompressedBothWays() throws Exception {
        assumeTrue(compresses(), "the transport does not compress");
        try (DeflateSocket client = open("permessage-deflate; client_max_window_bits")) {
            String agreed = client.extensions();
            assertNotNull(agreed, "permessage-deflate agreed");
            assertTrue(agreed.startsWith("permessage-deflate"), agreed);
            assertFalse(agreed.contains("client_max_window_bits"), "the server need not limit the client: " + agreed);
            if (compression().mode() == Compression.Mode.SHARED) {
                assertTrue(agreed.contains("server_no_context_takeover"), agreed);
            }
            client.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT, client.deflate(LONG));
            DeflateSocket.Frame echo = client.next();
            assertTrue(echo.compressed(), "a long line comes compressed");
            assertTrue(echo.payload().length < utf8(LONG).length, "and smaller");
            assertEquals(LONG, new String(client.inflate(echo.payload()), StandardCharsets.UTF_8));
            client.send(DeflateSocket.FIN | DeflateSocket.TEXT, utf8(SHORT));
            DeflateSocket.Frame shortEcho = client.next();
            assertFalse(shortEcho.compressed(), "a line below the threshold goes plain");
            assertEquals(SHORT, new String(shortEcho.payload(), StandardCharsets.UTF_8));
            client.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT, client.deflate(LONG + "!"));
            assertEquals(LONG + "!", client.nextText(), "the client's window was kept between its messages");
        }
        assertEquals(List.of(LONG, SHORT, LONG + "!"), awaitConnection(0).messages);
    }

    static Stream<Arguments> parameters() {
        return Stream.of(
                Arguments.of("permessage-deflate; client_no_context_takeover", "client_no_context_takeover"),
                Arguments.of("permessage-deflate; server_no_context_takeover", "server_no_context_takeover"),
                Arguments.of("permessage-deflate; server_max_window_bits=10", "server_max_window_bits=10"),
                Arguments.of("permessage-deflate; client_max_window_bits=10", "permessage-deflate"),
                Arguments.of("permessage-deflate; server_max_window_bits=\"12\"", "server_max_window_bits=12"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.wschat.tck.CompressionCases#parameters")
    void theParametersOfferedAreAnswered(String offer, String answered) throws Exception {
        assumeTrue(compresses(), "the transport does not compress");
        try (DeflateSocket client = open(offer)) {
            assertNotNull(client.extensions(), offer);
            assertTrue(client.extensions().contains(answered), client.extensions());
            boolean noClientContext = offer.contains("client_no_context_takeover");
            for (int i = 0; i < 2; i++) {
                String line = LONG + " #" + i;
                byte[] compressed = noClientContext ? DeflateSocket.deflateAlone(utf8(line)) : client.deflate(line);
                client.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT, compressed);
                assertEquals(line, client.nextText());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "permessage-deflate; x-unknown",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=010",
        "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; server_no_context_takeover=1",
        "x-webkit-deflate-frame"})
    void anOfferItCannotAcceptIsDeclinedAndTheChatGoesOnPlain(String offer) throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        try (DeflateSocket client = open(offer)) {
            assertNull(client.extensions(), "declined: " + offer);
            client.send(DeflateSocket.FIN | DeflateSocket.TEXT, utf8(LONG));
            DeflateSocket.Frame echo = client.next();
            assertFalse(echo.compressed(), "nothing compressed without the extension");
            assertEquals(LONG, new String(echo.payload(), StandardCharsets.UTF_8));
        }
        if (compresses()) {
            try (DeflateSocket client = open(offer + ", permessage-deflate")) {
                assertNotNull(client.extensions(), "the next offer is taken");
                client.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT, client.deflate(LONG));
                assertEquals(LONG, client.nextText());
            }
        }
    }

    @Test
    void aWindowTheClientLimitsIsHonoured() throws Exception {
        assumeTrue(compresses(), "the transport does not compress");
        String within = (LONG + " ").repeat(3);    // ~400 bytes: within a 512-byte window
        String beyond = (LONG + " ").repeat(20);   // ~2,600 bytes: not
        try (DeflateSocket client = open("permessage-deflate; server_max_window_bits=9")) {
            assertTrue(client.extensions().contains("server_max_window_bits=9"), client.extensions());
            client.send(DeflateSocket.FIN | DeflateSocket.TEXT, utf8(within));
            DeflateSocket.Frame small = client.next();
            assertTrue(small.compressed(), "a message within the window comes compressed");
            assertEquals(within, new String(client.inflate(small.payload()), StandardCharsets.UTF_8));
            client.send(DeflateSocket.FIN | DeflateSocket.TEXT, utf8(beyond));
            DeflateSocket.Frame large = client.next();
            assertFalse(large.compressed(), "a message longer than the window comes plain");
            assertEquals(beyond, new String(large.payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCompressedMessageInFragmentsWithAPingBetweenArrivesWhole() throws Exception {
        assumeTrue(compresses(), "the transport does not compress");
        String message = LONG + " — " + "漢字かなカナ😀".repeat(40);
        try (DeflateSocket client = open("permessage-deflate")) {
            byte[] compressed = client.deflate(message);
            int third = compressed.length / 3;
            client.send(DeflateSocket.RSV1 | DeflateSocket.TEXT, Arrays.copyOfRange(compressed, 0, third));
            client.send(DeflateSocket.FIN | DeflateSocket.PING, utf8("between"));
            client.send(DeflateSocket.CONTINUATION, Arrays.copyOfRange(compressed, third, 2 * third));
            client.send(DeflateSocket.FIN | DeflateSocket.CONTINUATION,
                    Arrays.copyOfRange(compressed, 2 * third, compressed.length));
            assertEquals(message, client.nextText());
            client.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT, client.deflate(LONG));
            assertEquals(LONG, client.nextText(), "and the next message after it");
        }
        assertEquals(List.of(message, LONG), awaitConnection(0).messages);
    }

    @Test
    void oneSharedFrameServesCompressedAndPlainMembers() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        try (DeflateSocket compressed = open("permessage-deflate"); DeflateSocket plain = open(null)) {
            await().atMost(WAIT).until(() -> handler.connections.size() == 2);
            SharedText text = new SharedText(LONG);
            for (RecordingHandler.Recorded member : handler.connections) {
                assertTrue(((AbstractConnection) member.connection).send(text));
            }
            DeflateSocket.Frame toCompressed = compressed.next();
            DeflateSocket.Frame toPlain = plain.next();
            assertEquals(compresses(), toCompressed.compressed(), "compressed for the member that agreed to it");
            assertFalse(toPlain.compressed(), "plain for the member that did not");
            assertEquals(LONG, new String(toCompressed.compressed() ? compressed.inflate(toCompressed.payload())
                    : toCompressed.payload(), StandardCharsets.UTF_8));
            assertEquals(LONG, new String(toPlain.payload(), StandardCharsets.UTF_8));
        }
    }

    /** A compressed connection broken on purpose, and the close code RFC 6455 and 7692 give for it. */
    record Violation(String name, int expectedCode, Sender sender) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface Sender {
        void send(DeflateSocket client) throws IOException;
    }

    static Stream<Violation> violations() {
        byte[] invalidUtf8 = {'a', (byte) 0xc3, 0x28};
        return Stream.of(
                new Violation("RSV1 on a ping", CloseCodes.PROTOCOL_ERROR,
                        c -> c.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.PING, utf8("x"))),
                new Violation("RSV1 on a continuation frame", CloseCodes.PROTOCOL_ERROR, c -> {
                    c.send(DeflateSocket.TEXT, utf8("plain start "));
                    c.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.CONTINUATION,
                            DeflateSocket.deflateAlone(utf8(LONG)));
                }),
                new Violation("RSV2 with the extension", CloseCodes.PROTOCOL_ERROR,
                        c -> c.send(DeflateSocket.FIN | 0x20 | DeflateSocket.TEXT, utf8(LONG))),
                new Violation("data that does not inflate", CloseCodes.INVALID_PAYLOAD,
                        c -> c.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT,
                                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x13, 0x37, 0x00, 0x42})),
                new Violation("invalid UTF-8 once inflated", CloseCodes.INVALID_PAYLOAD,
                        c -> c.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT,
                                DeflateSocket.deflateAlone(invalidUtf8))),
                new Violation("a bomb: 20 KiB that inflate to 20 MiB", CloseCodes.MESSAGE_TOO_BIG,
                        c -> c.send(DeflateSocket.FIN | DeflateSocket.RSV1 | DeflateSocket.TEXT,
                                DeflateSocket.deflateAlone("a".repeat(20 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII)))),
                new Violation("a bomb in fragments, each within the limit", CloseCodes.MESSAGE_TOO_BIG, c -> {
                    byte[] bomb = DeflateSocket.deflateAlone(
                            "b".repeat(MAX_MESSAGE_BYTES * 3 / 2).getBytes(StandardCharsets.US_ASCII));
                    int third = bomb.length / 3;
                    c.send(DeflateSocket.RSV1 | DeflateSocket.TEXT, Arrays.copyOfRange(bomb, 0, third));
                    c.send(DeflateSocket.CONTINUATION, Arrays.copyOfRange(bomb, third, 2 * third));
                    c.send(DeflateSocket.FIN | DeflateSocket.CONTINUATION, Arrays.copyOfRange(bomb, 2 * third, bomb.length));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.wschat.tck.CompressionCases#violations")
    void aBrokenCompressedMessageFailsTheConnectionWithItsCodeAndNoOneElse(Violation violation) throws Exception {
        assumeTrue(compresses(), "the transport does not compress");
        TckClient bystander = connect("/");
        try (DeflateSocket client = open("permessage-deflate")) {
            assertNotNull(client.extensions());
            violation.sender().send(client);
            assertEquals(violation.expectedCode(), client.awaitCloseCode(), violation.name());
        }
        bystander.send("still here");
        assertEquals("still here", bystander.nextMessage(WAIT), "the other connections go on");
        await().atMost(WAIT).until(() -> handler.connections.stream().filter(r -> r.closed != null).count() == 1);
        RecordingHandler.Recorded broken = handler.connections.stream().filter(r -> r.closed != null).findFirst()
                .orElseThrow();
        assertEquals(violation.expectedCode(), broken.closed.code(), "the close the server reports");
        assertEquals(List.of(), broken.messages, "nothing of the broken message was delivered");
    }

    @Test
    void javaWebSocketsOwnCompressingClientChats() throws Exception {
        assumeTrue(usesSockets(), "needs real sockets");
        CompressingJavaWebSocketClient client = new CompressingJavaWebSocketClient(
                URI.create("ws://127.0.0.1:" + server.address().getPort() + "/"));
        BlockingQueue<String> received = client.received();
        try {
            assertTrue(client.connectBlocking(WAIT.toMillis(), TimeUnit.MILLISECONDS), "connected");
            if (compresses()) {
                assertInstanceOf(PerMessageDeflateExtension.class, client.extension(), "compression agreed");
            }
            for (String line : List.of(LONG, SHORT, LONG.repeat(50), "漢字かなカナ😀".repeat(100))) {
                client.send(line);
                assertEquals(line, received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
        } finally {
            client.closeBlocking();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
