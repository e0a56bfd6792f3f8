package io.github.wschat.bench;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/** One soak client, on either client engine: counts what it receives; sends one line at a time. */
final class SoakClient {

    private final ClientEngine.Socket socket;
    private Future<?> lastSend = CompletableFuture.completedFuture(null);
    private boolean gone;

    private SoakClient(ClientEngine.Socket socket) {
        this.socket = socket;
    }

    static SoakClient connect(ClientEngine engine, URI uri, LongAdder received) throws Exception {
        return new SoakClient(engine.open(uri, 1, i -> line -> received.increment()).get(0));
    }

    /** Sends a line unless the previous one is still being written. */
    boolean trySend(String line) {
        if (gone || !lastSend.isDone()) {
            return false;
        }
        lastSend = socket.send(line);
        return true;
    }

    void vanish() {
        gone = true;
        socket.abort();
    }

    void leave() {
        if (!gone) {
            gone = true;
            socket.close();
        }
    }
}
