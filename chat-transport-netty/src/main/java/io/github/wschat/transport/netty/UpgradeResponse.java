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

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String HEAD = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
            + "sec-websocket-accept: ";
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
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        return Base64.getEncoder().encodeToString(sha1.digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * The 101 response.
     *
     * @param key the client's {@code Sec-WebSocket-Key}
     * @param subprotocol the agreed subprotocol, or empty for none
     * @param extensions the agreed {@code Sec-WebSocket-Extensions} value, or null for none
     */
    static ByteBuf encode(ByteBufAllocator allocator, String key, String subprotocol, String extensions) {
        String accept = accept(key);
        ByteBuf out = allocator.buffer(HEAD.length() + accept.length() + 4 + (subprotocol.isEmpty() ? 0
                : subprotocol.length() + 28) + (extensions == null ? 0 : extensions.length() + 30));
        out.writeCharSequence(HEAD, StandardCharsets.US_ASCII);
        out.writeCharSequence(accept, StandardCharsets.US_ASCII);
        out.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        if (!subprotocol.isEmpty()) {
            out.writeCharSequence("sec-websocket-protocol: ", StandardCharsets.US_ASCII);
            out.writeCharSequence(subprotocol, StandardCharsets.US_ASCII);
            out.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        }
        if (extensions != null) {
            out.writeCharSequence("sec-websocket-extensions: ", StandardCharsets.US_ASCII);
            out.writeCharSequence(extensions, StandardCharsets.US_ASCII);
            out.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        }
        out.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        return out;
    }
}
