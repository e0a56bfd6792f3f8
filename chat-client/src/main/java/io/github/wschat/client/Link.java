package io.github.wschat.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's WebSocket callbacks: each is handed over to the client's thread, tagged with the
 * connection it came from, so that an older connection's late callbacks are told apart. Frames are
 * asked for one at a time, once the one before was handled.
 */
final class Link implements WebSocket.Listener {

    private static final Logger log = LoggerFactory.getLogger(Link.class);

    private final ClientEngine engine;
    private final int connection;
    private final StringBuilder partial = new StringBuilder();

    Link(ClientEngine engine, int connection) {
        this.engine = engine;
        this.connection = connection;
    }

    @Override
    public void onOpen(WebSocket ws) {
        engine.onLoop(() -> engine.opened(connection, ws));
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            engine.onLoop(() -> {
                try {
                    engine.received(connection, frame);
                } catch (RuntimeException e) {
                    log.error("The chat client failed on a frame; it goes on: {}", frame, e);
                } finally {
                    ws.request(1);
                }
            });
        } else {
            ws.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        engine.onLoop(() -> engine.closedByServer(connection, code, reason));
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        engine.onLoop(() -> engine.heard(connection));
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        engine.onLoop(() -> engine.heard(connection));
        return WebSocket.Listener.super.onPing(ws, message);
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        engine.onLoop(() -> engine.closedByServer(connection, 1006, String.valueOf(error.getMessage())));
    }
}
