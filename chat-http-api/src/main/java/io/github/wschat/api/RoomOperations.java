package io.github.wschat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.PlacedEvent;
import io.github.wschat.app.RoomHandle;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Placement;
import io.github.wschat.history.HistoryPage;
import io.github.wschat.history.HistoryStoreException;
import io.github.wschat.history.Position;
import io.github.wschat.protocol.Durations;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.server.ChatServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's operations on the server, each a JSON answer or an {@link ApiRefusal}: what {@link ChatApi}
 * routes to once it has a caller. Waits for the server at most {@value #WAIT_SECONDS} s. Thread-safe.
 */
final class RoomOperations {

    private static final Logger log = LoggerFactory.getLogger(ChatApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long WAIT_SECONDS = 10;
    private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
    private static final String JSON_TYPE = "application/json";

    private final ChatServer server;

    RoomOperations(ChatServer server) {
        this.server = server;
    }

    ChatApi.Response rooms() {
        ArrayNode rooms = JSON.createArrayNode();
        for (String name : unavailableAs503(server::rooms).stream().sorted().toList()) {
            rooms.addObject().put("name", name).put("members", server.room(name).members().size());
        }
        return ok(JSON.createObjectNode().set("rooms", rooms));
    }

    ChatApi.Response members(RoomHandle room) {
        ArrayNode members = JSON.createArrayNode();
        for (ChatMember member : unavailableAs503(room::members)) {
            ObjectNode m = members.addObject().put("nick", member.nick());
            if (!member.identity().isAnonymous()) {
                m.put("identity", member.identity().id());
            }
            ArrayNode roles = m.putArray("roles");
            member.identity().roles().stream().sorted().forEach(roles::add);
            m.put("devices", member.devices());
        }
        return ok(JSON.createObjectNode().put("room", room.name()).set("members", members));
    }

    ChatApi.Response history(RoomHandle room, Map<String, String> query) {
        Optional<Position> before = Optional.empty();
        if (query.containsKey("before")) {
            before = Optional.of(Position.parse(query.get("before")).orElseThrow(() ->
                    ApiRefusal.of(400, "bad-request", "Bad request", "before is EPOCH:SEQ, e.g. 3f9c2a71:13")));
        }
        int limit = 50;
        if (query.containsKey("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 200) {
                throw ApiRefusal.of(400, "bad-request", "Bad request", "limit is 1 to 200");
            }
        }
        Optional<Position> from = before;
        int most = limit;
        HistoryPage page;
        try {
            page = unavailableAs503(() -> room.history(from, most));
        } catch (HistoryStoreException e) {
            throw ApiRefusal.of(503, "unavailable", "Unavailable", "the history store cannot answer: " + e.getMessage());
        }
        ArrayNode events = JSON.createArrayNode();
        for (PlacedEvent e : page.events()) {
            events.add(parse(JsonFormat.INSTANCE.event(e.epoch(), e.sequence(), e.time(), e.event())));
        }
        ObjectNode answer = JSON.createObjectNode().put("room", room.name());
        answer.set("events", events);
        return ok(answer.put("more", page.more()));
    }

    // ---- writes ----

    ChatApi.Response notice(RoomHandle room, JsonNode body, String key, String caller) {
        String text = requireText(body, "text");
        if (text.isBlank() || text.contains("\n") || text.contains("\r")) {
            throw ApiRefusal.of(400, "bad-request", "Bad request", "text is one line, not blank");
        }
        ObjectNode answer = JSON.createObjectNode();
        if (key != null) {
            requireKey(key);
            Placement placed;
            try {
                placed = await(room.postOnce(text, "api:" + caller + ":" + key));
            } catch (UnsupportedOperationException e) {
                throw ApiRefusal.of(501, "unsupported", "Not supported",
                        "this server's broker cannot place a notice once per key: post without Idempotency-Key");
            }
            answer.put("epoch", placed.epoch()).put("seq", placed.sequence()).put("repeated", placed.repeated());
            log.info("API key {} posted a notice in {} (Idempotency-Key {}{})", caller, room.name(), key,
                    placed.repeated() ? ", a repeat" : "");
            return new ChatApi.Response(placed.repeated() ? 200 : 201, JSON_TYPE, bytes(answer));
        }
        await(room.post(text));
        log.info("API key {} posted a notice in {}", caller, room.name());
        return new ChatApi.Response(201, JSON_TYPE, bytes(answer));
    }

    ChatApi.Response moderate(RoomHandle room, String nick, String action, JsonNode body, String caller) {
        String reason = body.path("reason").asText("");
        CompletionStage<Void> done = switch (action) {
            case "kick" -> room.kick(nick, reason);
            case "unmute" -> room.unmute(nick);
            case "mute" -> room.mute(nick, duration(body), reason);
            default -> room.ban(nick, duration(body), reason);
        };
        await(done);
        log.info("API key {}: {} {} in {}", caller, action, nick, room.name());
        return new ChatApi.Response(204, JSON_TYPE, new byte[0]);
    }

    ChatApi.Response forget(String identity, String caller) {
        long erased = server.forget(identity);
        log.info("API key {} forgot an identity: {} lines erased", caller, erased);
        return ok(JSON.createObjectNode().put("erased", erased));
    }

    RoomHandle room(String name) {
        try {
            return server.room(name);
        } catch (IllegalArgumentException e) {
            throw ApiRefusal.of(404, "not-found", "Not found", e.getMessage());
        }
    }

    private static Duration duration(JsonNode body) {
        String text = requireText(body, "duration");
        return Durations.parse(text).orElseThrow(() -> ApiRefusal.of(400, "bad-request", "Bad request",
                "duration is a number and a unit: 30s, 10m, 2h, 1d"));
    }

    private static String requireText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiRefusal.of(400, "bad-request", "Bad request", "the body needs the string " + field);
        }
        return value.asText();
    }

    static void requireKey(String key) {
        if (key.isEmpty() || key.length() > 200) {
            throw ApiRefusal.of(400, "bad-request", "Bad request", "an Idempotency-Key has 1 to 200 characters");
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiRefusal.of(503, "unavailable", "Unavailable", "interrupted");
        } catch (TimeoutException e) {
            throw ApiRefusal.of(504, "timeout", "Timeout", "the server did not answer within " + WAIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw ApiRefusal.forFailure(e.getCause());
        }
    }

    private static <T> T unavailableAs503(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (BrokerUnavailableException e) {
            throw ApiRefusal.of(503, "unavailable", "Unavailable", "the other nodes cannot be reached: " + e.getMessage());
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ChatApi.Response ok(JsonNode body) {
        return new ChatApi.Response(200, JSON_TYPE, bytes(body));
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
