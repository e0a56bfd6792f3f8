package io.github.wschat.bench;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The baseline: the seed's chat written by hand directly on Java-WebSocket, as a Java user would
 * write it instead of using a library. Its onMessage loops {@code conn.send(line)} over a map of
 * connections. Tuned as the library's transport is (TCP_NODELAY, SO_REUSEADDR, a large accept
 * backlog), so the comparison measures the library, not a setting.
 *
 * <p>{@code java -cp chat-bench.jar io.github.wschat.bench.BaselineChatServer PORT}
 */
public final class BaselineChatServer extends WebSocketServer {

    private final Map<WebSocket, String> nicknames = new ConcurrentHashMap<>();

    BaselineChatServer(int port) {
        super(new InetSocketAddress("127.0.0.1", port));
        setReuseAddr(true);
        setTcpNoDelay(true);
        setMaxPendingConnections(1024);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        nicknames.put(conn, "user-" + ThreadLocalRandom.current().nextInt(100_000));
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        String line = nicknames.get(conn) + ": " + message;
        for (WebSocket member : nicknames.keySet()) {
            member.send(line);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        String nick = nicknames.remove(conn);
        for (WebSocket member : nicknames.keySet()) {
            member.send(" .... " + nick + " has left.");
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        // a broken connection is closed by the library; onClose announces it
    }

    @Override
    public void onStart() {
        System.out.println("baseline ready on " + getPort());
    }

    /**
     * Runs the baseline until killed.
     *
     * @param args the port
     */
    public static void main(String[] args) {
        new BaselineChatServer(Integer.parseInt(args[0])).start();
    }
}
