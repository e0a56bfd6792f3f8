package io.github.wschat.boot;

import io.github.wschat.Registration;
import io.github.wschat.broker.Broker;
import io.github.wschat.server.ChatServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the chat's health indicator reports, for either generation of Spring Boot's health API: UP
 * while the server runs and its broker can place events; OUT_OF_SERVICE while it runs and its shared
 * broker cannot (Redis unreachable: lines are refused, the node recovers by itself when Redis is back,
 * so a load balancer should send clients elsewhere, and nothing should restart the node); DOWN once
 * the server has stopped. Thread-safe.
 */
final class ChatHealth implements AutoCloseable {

    enum State { UP, OUT_OF_SERVICE, DOWN }

    private final ChatServer chat;
    private final Registration availability;
    private final boolean shared;
    private volatile boolean brokerAvailable = true;

    ChatHealth(ChatServer chat, Optional<Broker> broker) {
        this.chat = chat;
        this.shared = broker.isPresent();
        this.availability = broker.map(b -> b.onAvailability(available -> brokerAvailable = available))
                .orElse(() -> { });
    }

    State state() {
        if (!chat.isRunning()) {
            return State.DOWN;
        }
        return brokerAvailable ? State.UP : State.OUT_OF_SERVICE;
    }

    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("transport", chat.transportName());
        details.put("members", chat.memberCount());
        details.put("rooms", chat.roomCount());
        details.put("broker", !shared ? "in-process" : brokerAvailable ? "available" : "unavailable");
        details.put("historyLagMillis", chat.historyLag().toMillis());
        details.put("historyStore", chat.historyHealthy() ? "available" : "unavailable");
        return details;
    }

    @Override
    public void close() {
        availability.remove();
    }
}
