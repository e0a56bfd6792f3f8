package io.github.wschat.bench;

import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** The {@code jdk} engine: the JDK's WebSocket client, every connection on one shared HttpClient. */
final class JdkClientEngine implements ClientEngine {

    private final BenchClients clients;

    JdkClientEngine(int threads) {
        this.clients = new BenchClients(threads);
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public List<Socket> open(URI uri, int count, String subprotocol, IntFunction<Lines> lines) throws Exception {
        List<WebSocket> sockets = clients.open(uri, count, subprotocol, i -> new Listener(lines.apply(i)));
        List<Socket> opened = new ArrayList<>(sockets.size());
        for (WebSocket socket : sockets) {
            opened.add(new Socket() {
                @Override
                public Future<?> send(String text) {
                    return socket.sendText(text, true).toCompletableFuture();
                }

                @Override
                public void abort() {
                    socket.abort();
                }

                @Override
                public void close() {
                    if (!socket.isOutputClosed()) {
                        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").whenComplete((ws, error) -> socket.abort());
                    }
                }
            });
        }
        return opened;
    }

    @Override
    public void close() {
        clients.close();
    }

    /** Joins fragments and hands whole messages on. */
    private static final class Listener implements WebSocket.Listener {
        private final Lines lines;
        private StringBuilder partial;

        Listener(Lines lines) {
            this.lines = lines;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!last) {
                (partial == null ? partial = new StringBuilder() : partial).append(data);
                return null;
            }
            CharSequence whole = data;
            if (partial != null) {
                whole = partial.append(data);
                partial = null;
            }
            lines.line(whole.toString());
            return null;
        }
    }
}
