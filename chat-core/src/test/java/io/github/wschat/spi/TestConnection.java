package io.github.wschat.spi;

import io.github.wschat.Handshake;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A connection without a network, for unit tests of core: it records what is sent and closed. */
public final class TestConnection extends AbstractConnection {

    public final List<String> sent = new CopyOnWriteArrayList<>();
    public final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> onSent = text -> { };

    public TestConnection(String id, String target) {
        this(id, target, new InetSocketAddress("127.0.0.1", 40000));
    }

    public TestConnection(String id, String target, InetSocketAddress remote) {
        this(id, Handshake.of(target, Map.of(), remote));
    }

    public TestConnection(String id, Handshake handshake) {
        this(id, handshake, "");
    }

    public TestConnection(String id, Handshake handshake, String subprotocol) {
        super(id, handshake, subprotocol);
    }

    @Override
    protected boolean sendText(String text) {
        sent.add(text);
        onSent.accept(text);
        return true;
    }

    /** Runs the action on each text as it is sent, on the sending thread: to look at the server then. */
    public void onSent(Consumer<String> action) {
        onSent = action;
    }

    @Override
    protected void sendClose(int code, String reason) {
        closeCodes.add(code);
        fireClose(code, reason);
    }

    public void open() {
        handOver(connection -> { });
    }

    public void receive(String text) {
        fireMessage(text);
    }

    public void receiveBinary() {
        fireBinary();
    }

    public void drop() {
        fireClose(1006, "");
    }
}
