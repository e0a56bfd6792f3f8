package io.github.wschat.tck;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Java-WebSocket's client offering its stock permessage-deflate, as a second, independent compressing
 * client for compression tests: its text messages queue in {@link #received}. Connect and close it as
 * any {@link WebSocketClient}; thread-safe as that is.
 */
public final class CompressingJavaWebSocketClient extends WebSocketClient {

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    /**
     * @param uri the chat's WebSocket URI
     */
    public CompressingJavaWebSocketClient(URI uri) {
        super(uri, new Draft_6455(new PerMessageDeflateExtension()));
    }

    /** @return the text messages received so far and later, in order */
    public BlockingQueue<String> received() {
        return received;
    }

    /** @return the extension the handshake agreed on this connection: a {@code DefaultExtension} where declined */
    public IExtension extension() {
        return ((Draft_6455) ((WebSocketImpl) getConnection()).getDraft()).getExtension();
    }

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
}
