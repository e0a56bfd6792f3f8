package io.github.wschat.transport.javawebsocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * A short HTTP answer to a handshake that does not become a WebSocket, written straight to the socket
 * ahead of anything the library might queue: Java-WebSocket itself can only answer 404. A fresh
 * socket's send buffer takes these few hundred bytes at once.
 */
final class HttpAnswer {

    private HttpAnswer() {
    }

    /**
     * Writes {@code status}, the reason as a one-line text body, and {@code Connection: close}.
     *
     * @param extraHeaders further header lines, each ending in CRLF, or the empty string
     * @throws IOException if the socket cannot take it
     */
    static void write(WritableByteChannel channel, int status, String reason, String extraHeaders) throws IOException {
        byte[] body = (reason.replaceAll("[\\r\\n]", " ") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 " + status + " " + phrase(status) + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + extraHeaders
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer response = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
        while (response.hasRemaining() && channel.write(response) > 0) {
            // a few hundred bytes
        }
    }

    private static String phrase(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            default: return "Refused";
        }
    }
}
