package io.github.wschat.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateTest {

    private static Optional<PerMessageDeflate> negotiate(String offer, Compression compression) {
        return PerMessageDeflate.negotiate(List.of(offer), compression);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate|permessage-deflate; server_no_context_takeover",
        "permessage-deflate; client_max_window_bits|permessage-deflate; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover|permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "permessage-deflate;server_max_window_bits=10|permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
        "permessage-deflate; server_max_window_bits=\"9\"|permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
        "x-foo, permessage-deflate; bogus, permessage-deflate; client_max_window_bits=12|permessage-deflate; server_no_context_takeover",
        "PerMessage-Deflate|permessage-deflate; server_no_context_takeover"})
    void sharedModeAnswersTheFirstAcceptableOfferWithoutServerContext(String offer, String answer) {
        assertEquals(answer, negotiate(offer, Compression.shared()).orElseThrow().responseHeader());
    }

    @Test
    void dedicatedModeKeepsItsWindowUnlessTheClientAsksOrLimitsIt() {
        PerMessageDeflate plain = negotiate("permessage-deflate", Compression.dedicated()).orElseThrow();
        assertEquals("permessage-deflate", plain.responseHeader());
        assertFalse(plain.serverNoContextTakeover());
        assertTrue(negotiate("permessage-deflate; server_no_context_takeover", Compression.dedicated()).orElseThrow()
                .serverNoContextTakeover());
        PerMessageDeflate limited = negotiate("permessage-deflate; server_max_window_bits=12", Compression.dedicated())
                .orElseThrow();
        assertTrue(limited.serverNoContextTakeover(), "the JDK's deflater cannot keep a smaller window");
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=12", limited.responseHeader());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "x-webkit-deflate-frame", "permessage-deflate; unknown", "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7", "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=09", "permessage-deflate; server_max_window_bits=a",
        "permessage-deflate; client_max_window_bits=99", "permessage-deflate; client_no_context_takeover=yes",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover"})
    void anOfferRfc7692SaysToDeclineIsDeclined(String offer) {
        assertEquals(Optional.empty(), negotiate(offer, Compression.shared()));
    }

    @Test
    void offCompressionNegotiatesNothing() {
        assertEquals(Optional.empty(), negotiate("permessage-deflate", Compression.off()));
    }

    @Test
    void aLimitedWindowTakesOnlyMessagesThatFitIt() {
        PerMessageDeflate nine = negotiate("permessage-deflate; server_max_window_bits=9", Compression.shared()).orElseThrow();
        assertTrue(nine.accepts(512));
        assertFalse(nine.accepts(513));
        assertTrue(negotiate("permessage-deflate", Compression.shared()).orElseThrow().accepts(10_000_000));
    }

    @Test
    void whatIsDeflatedInflatesBackFrameByFrame() throws Exception {
        MessageDeflater deflater = new MessageDeflater(Compression.shared().threshold(0));
        byte[] text = "ünïcode line, repeated: ünïcode line, repeated: ünïcode line".getBytes(StandardCharsets.UTF_8);
        byte[] compressed = deflater.deflate(text);
        assertNotNull(compressed);
        assertTrue(compressed.length < text.length);
        MessageInflater inflater = negotiate("permessage-deflate", Compression.shared()).orElseThrow().newInflater(1024);
        int half = compressed.length / 2;
        byte[] first = inflater.inflate(ByteBuffer.wrap(Arrays.copyOfRange(compressed, 0, half)), false);
        byte[] rest = inflater.inflate(ByteBuffer.wrap(Arrays.copyOfRange(compressed, half, compressed.length)), true);
        byte[] whole = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, whole, first.length, rest.length);
        assertArrayEquals(text, whole);
        deflater.close();
    }

    @Test
    void belowTheThresholdOrNoSmallerStaysPlain() {
        MessageDeflater deflater = new MessageDeflater(Compression.shared().threshold(64));
        assertNull(deflater.deflate("short".getBytes(StandardCharsets.UTF_8)));
        byte[] random = new byte[256];
        new java.util.Random(7).nextBytes(random);
        assertNull(deflater.deflate(random), "incompressible");
        deflater.close();
    }

    @Test
    void aBombIsRefusedOnceTheLimitIsPassed() {
        byte[] zeros = deflateStream(new byte[1 << 20], 64); // 64 MiB of zeros, ~64 KiB compressed
        MessageInflater inflater = negotiate("permessage-deflate", Compression.shared()).orElseThrow()
                .newInflater(64 * 1024);
        MessageInflater.Refused refused = assertThrows(MessageInflater.Refused.class,
                () -> inflater.inflate(ByteBuffer.wrap(zeros), true));
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, refused.code());
    }

    @Test
    void dataThatDoesNotInflateIs1007() {
        MessageInflater inflater = negotiate("permessage-deflate", Compression.shared()).orElseThrow().newInflater(1024);
        MessageInflater.Refused refused = assertThrows(MessageInflater.Refused.class,
                () -> inflater.inflate(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2}), true));
        assertEquals(CloseCodes.INVALID_PAYLOAD, refused.code());
    }

    @Test
    void theClientsWindowIsKeptUnlessItCompressesEachMessageAlone() throws Exception {
        Deflater client = new Deflater(6, true);
        String line = "the same words again and again, the same words";
        byte[] one = MessageDeflater.deflate(client, line.getBytes(StandardCharsets.UTF_8));
        byte[] two = MessageDeflater.deflate(client, line.getBytes(StandardCharsets.UTF_8));
        assertTrue(two.length < one.length, "the second refers back to the first");
        MessageInflater inflater = negotiate("permessage-deflate", Compression.shared()).orElseThrow().newInflater(1024);
        assertEquals(line, new String(inflater.inflate(ByteBuffer.wrap(one), true), StandardCharsets.UTF_8));
        assertEquals(line, new String(inflater.inflate(ByteBuffer.wrap(two), true), StandardCharsets.UTF_8));
        client.end();
    }

    @Test
    void aSharedTextKeepsOneFormPerEncoderAndMakesEachOnce() {
        SharedText text = new SharedText("hello");
        AtomicInteger made = new AtomicInteger();
        Function<String, String> upper = s -> {
            made.incrementAndGet();
            return s.toUpperCase();
        };
        Function<String, Integer> length = String::length;
        assertEquals("HELLO", text.wireForm(upper));
        assertEquals(5, text.wireForm(length));
        assertSame(text.wireForm(upper), text.wireForm(upper));
        assertEquals(1, made.get());
    }

    private static byte[] deflateStream(byte[] block, int times) {
        Deflater deflater = new Deflater(9, true);
        byte[] out = new byte[4 << 20];
        int length = 0;
        for (int i = 0; i < times; i++) {
            deflater.setInput(block);
            while (!deflater.needsInput()) {
                length += deflater.deflate(out, length, out.length - length, Deflater.NO_FLUSH);
            }
        }
        length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(out, length - 4);
    }
}
