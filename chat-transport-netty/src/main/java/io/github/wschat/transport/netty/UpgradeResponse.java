package io.github.wschat.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The opening handshake's answer (RFC 6455 section 4.2.2), written as bytes: the status line, the
 * fixed headers, the accept key and the agreed subprotocol and extension. This is what Netty's
 * {@code WebSocketServerHandshaker13} sends, without the response object, its header validation and
 * the HTTP encoder between them and the socket — work a connect storm pays ten thousand times for
 * a response whose every byte but the key the server chose itself. Stateless; each event loop keeps
 * its own SHA-1 digest.
 */
final class UpgradeResponse {

    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD = ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
            + "sec-websocket-accept: ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROTOCOL = "sec-websocket-protocol: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXTENSIONS = "sec-websocket-extensions: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final FastThreadLocal<MessageDigest> SHA1 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
            return MessageDigest.getInstance("SHA-1");
        }
    };

    private UpgradeResponse() {
    }

    /** The {@code Sec-WebSocket-Accept} value for a client's {@code Sec-WebSocket-Key}. */
    static String accept(String key) {
        return new String(acceptBytes(key), StandardCharsets.US_ASCII);
    }

    private static byte[] acceptBytes(String key) {
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        sha1.update(key.trim().getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encode(sha1.digest(GUID));
    }

    /**
     * The 101 response.
     *
     * @param key the client's {@code Sec-WebSocket-Key}
     * @param subprotocol the agreed subprotocol, or empty for none
     * @param extensions the agreed {@code Sec-WebSocket-Extensions} value, or null for none
     */
    static ByteBuf encode(ByteBufAllocator allocator, String key, String subprotocol, String extensions) {
        byte[] accept = acceptBytes(key);
        ByteBuf out = allocator.buffer(256); // the head and key are ~130 bytes; a long extension answer grows it
        out.writeBytes(HEAD).writeBytes(accept).writeBytes(CRLF);
        if (!subprotocol.isEmpty()) {
            out.writeBytes(PROTOCOL);
            out.writeCharSequence(subprotocol, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        }
        if (extensions != null) {
            out.writeBytes(EXTENSIONS);
            out.writeCharSequence(extensions, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        }
        return out.writeBytes(CRLF);
    }
}
