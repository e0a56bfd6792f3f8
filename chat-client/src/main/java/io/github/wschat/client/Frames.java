package io.github.wschat.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON protocol (wschat.v1.json, docs/PROTOCOL.md) as the client reads and writes it. Stateless
 * and thread-safe.
 */
final class Frames {

    static final String SUBPROTOCOL = "wschat.v1.json";

    private final ObjectMapper mapper = new ObjectMapper();

    /** What the server sent, read. */
    sealed interface Incoming {
    }

    /** The welcome: who and where, and the history; {@code missed} is null without {@code ?since=}. */
    record Welcome(String nick, String room, List<String> members, Set<String> roles, String epoch, Boolean missed,
            List<ChatEvent.Placed> history) implements Incoming {
    }

    /** An event for the listener. */
    record Event(ChatEvent event) implements Incoming {
    }

    /** The acknowledgement of the send with this id. */
    record Acked(String id, Ack ack) implements Incoming {
    }

    /** The answer to a {@code who} with this id. */
    record MembersOf(String id, List<String> members) implements Incoming {
    }

    /** The refusal of the send with this id. */
    record Refused(String id, String code, String text) implements Incoming {
    }

    /** A frame this client cannot read: ignored, and logged. */
    record Unreadable(String frame) implements Incoming {
    }

    Incoming read(String frame) {
        JsonNode node;
        try {
            node = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            return new Unreadable(frame);
        }
        if (node == null || !node.isObject()) {
            return new Unreadable(frame);
        }
        String type = node.path("type").asText();
        String id = node.hasNonNull("id") ? node.get("id").asText() : null;
        switch (type) {
            case "welcome":
                return welcome(node);
            case "ack":
                return id == null ? new Unreadable(frame)
                        : new Acked(id, node.has("seq") ? new Ack(node.path("epoch").asText(), node.get("seq").asLong())
                                : Ack.NOTHING_PLACED);
            case "error":
                String code = node.path("code").asText();
                String text = node.path("text").asText();
                return id == null ? new Event(new ChatEvent.Error(code, text)) : new Refused(id, code, text);
            case "members":
                List<String> members = strings(node.get("members"));
                return id == null ? new Unreadable(frame) : new MembersOf(id, members);
            case "status":
                return new Event(new ChatEvent.Status("ok".equals(node.path("state").asText()), node.path("text").asText()));
            default:
                ChatEvent.Placed placed = placed(node, node.path("epoch").asText());
                return placed == null ? new Unreadable(frame) : new Event(placed);
        }
    }

    private Welcome welcome(JsonNode node) {
        String epoch = node.path("epoch").asText();
        List<ChatEvent.Placed> history = new ArrayList<>();
        for (JsonNode event : node.path("history")) {
            ChatEvent.Placed placed = placed(event, epoch);
            if (placed != null) {
                history.add(placed);
            }
        }
        Boolean missed = node.has("missed") ? node.get("missed").asBoolean() : null;
        return new Welcome(node.path("nick").asText(), node.path("room").asText(), strings(node.get("members")),
                new LinkedHashSet<>(strings(node.get("roles"))), epoch, missed, history);
    }

    /** A room event, or null for a type this client does not know (a newer server's). */
    private static ChatEvent.Placed placed(JsonNode node, String epoch) {
        String in = node.hasNonNull("epoch") ? node.get("epoch").asText() : epoch;
        long seq = node.path("seq").asLong();
        long time = node.path("time").asLong();
        switch (node.path("type").asText()) {
            case "message":
                return new ChatEvent.Message(in, seq, time, text(node, "from"), text(node, "text"));
            case "action":
                return new ChatEvent.Action(in, seq, time, text(node, "from"), text(node, "text"));
            case "private":
                return new ChatEvent.Private(in, seq, time, text(node, "from"), text(node, "to"), text(node, "text"));
            case "join":
                return new ChatEvent.Joined(in, seq, time, text(node, "nick"));
            case "leave":
                return new ChatEvent.Left(in, seq, time, text(node, "nick"));
            case "rename":
                return new ChatEvent.Renamed(in, seq, time, text(node, "from"), text(node, "to"));
            case "notice":
                return new ChatEvent.Notice(in, seq, time, text(node, "text"));
            case "removed":
                return new ChatEvent.Removed(in, seq, time, text(node, "nick"), text(node, "reason"),
                        node.path("bannedUntil").asLong());
            case "muted":
                return new ChatEvent.Muted(in, seq, time, text(node, "nick"), node.path("until").asLong(),
                        text(node, "reason"));
            default:
                return null;
        }
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    /** A command with an id: {@code {"type":…,"id":…, field: value, …}} with fields in pairs. */
    String command(String type, String id, String... fields) {
        ObjectNode node = mapper.createObjectNode().put("type", type).put("id", id);
        for (int i = 0; i < fields.length; i += 2) {
            node.put(fields[i], fields[i + 1]);
        }
        return node.toString();
    }
}
