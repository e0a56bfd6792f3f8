package io.github.wschat.tck;

import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kit's server side: records every connection's events, checks the event contract as they
 * happen, and echoes messages. Paths: {@code /refused} is refused with 403; {@code /offer} accepts
 * the first offered subprotocol; a message {@code "throw"} makes the message handler throw.
 */
final class RecordingHandler implements ConnectionHandler {

    static final String THROW = "throw";

    final List<Recorded> connections = new CopyOnWriteArrayList<>();
    final List<Handshake> admitted = new CopyOnWriteArrayList<>();

    @Override
    public Admission admit(Handshake handshake) {
        admitted.add(handshake);
        if (handshake.path().equals("/refused")) {
            return Admission.refuse(403, "refused by the kit");
        }
        if (handshake.path().equals("/offer") && !handshake.offeredSubprotocols().isEmpty()) {
            return Admission.accept(handshake.offeredSubprotocols().get(0));
        }
        return Admission.accept();
    }

    @Override
    public void connected(Connection connection) {
        connections.add(new Recorded(connection));
    }

    long openCount() {
        return connections.stream().filter(r -> r.connection.isOpen()).count();
    }

    List<String> violations() {
        List<String> all = new ArrayList<>();
        connections.forEach(r -> r.violations.forEach(v -> all.add(r.connection.id() + ": " + v)));
        return all;
    }

    /** One connection as the server saw it. */
    static final class Recorded {
        final Connection connection;
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        private final AtomicInteger inside = new AtomicInteger();
        volatile CloseStatus closed;

        Recorded(Connection connection) {
            this.connection = connection;
            connection.onOpen(() -> record("open", () -> {
                if (!connection.isOpen()) {
                    violations.add("not open in its open handler");
                }
            }));
            connection.onMessage(text -> record("message", () -> {
                messages.add(text);
                if (text.equals(THROW)) {
                    throw new IllegalStateException("the kit's handler throws, as asked");
                }
                connection.send(text);
            }));
            connection.onClose((code, reason) -> record("close", () -> closed = new CloseStatus(code, reason)));
            connection.onError(error -> record("error", () -> { }));
        }

        private void record(String event, Runnable action) {
            if (inside.incrementAndGet() != 1) {
                violations.add("handlers ran concurrently at " + event);
            }
            try {
                if (events.isEmpty() && !event.equals("open") && !event.equals("close")) {
                    violations.add(event + " before open");
                }
                if (events.contains("close")) {
                    violations.add(event + " after close");
                }
                events.add(event);
                action.run();
            } finally {
                inside.decrementAndGet();
            }
        }
    }
}
