package io.github.wschat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** One soak client on the JDK's WebSocket: counts what it receives; sends one line at a time. */
final class SoakClient implements WebSocket.Listener {

    private final LongAdder received;
    private WebSocket socket;
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

    private SoakClient(LongAdder received) {
        this.received = received;
    }

    static SoakClient connect(HttpClient http, URI uri, LongAdder received) throws Exception {
        SoakClient client = new SoakClient(received);
        client.socket = http.newWebSocketBuilder().buildAsync(uri, client).get(20, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last) {
            received.increment();
        }
        return null;
    }

    /** Sends a line unless the previous one is still being written (the JDK allows one at a time). */
    boolean trySend(String line) {
        if (!lastSend.isDone() || socket.isOutputClosed()) {
            return false;
        }
        lastSend = socket.sendText(line, true);
        return true;
    }

    void vanish() {
        socket.abort();
    }

    void leave() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").whenComplete((ws, error) -> socket.abort());
        }
    }
}
