package io.github.wschat.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wschat.broker.RoomEvent;
import java.util.List;

/**
 * Typed JSON events for rich clients, chosen with the subprotocol {@value #SUBPROTOCOL}. Every
 * frame is one JSON object with a {@code type}; docs/PROTOCOL.md shows each with an example.
 * Stateless and thread-safe; use {@link #INSTANCE}.
 *
 * <p>From the server: {@code welcome} (nick, room, members, history), {@code message},
 * {@code action}, {@code join}, {@code leave}, {@code rename}, {@code private} (each with the
 * room's {@code seq} and the server's {@code time} in epoch milliseconds), {@code members} (the
 * answer to {@code who}) and {@code error} (code, text).
 *
 * <p>From a client: {@code {"type":"say","text":…}}, {@code {"type":"me","text":…}},
 * {@code {"type":"nick","name":…}}, {@code {"type":"who"}} and
 * {@code {"type":"msg","to":…,"text":…}}. A frame that is not such an object gets an {@code error}
 * with code {@code malformed}, and the connection stays open. Any command may carry an {@code "id"}:
 * it is then answered by id, with an {@code ack} ({@link #ack}) or an error carrying the id.
 */
public final class JsonFormat implements WireFormat {

    /** The subprotocol that selects this format. */
    public static final String SUBPROTOCOL = "wschat.v1.json";

    /** The one instance. */
    public static final JsonFormat INSTANCE = new JsonFormat();

    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final ObjectMapper mapper = new ObjectMapper();

    private JsonFormat() {
    }

    @Override
    public String subprotocol() {
        return SUBPROTOCOL;
    }

    @Override
    public ClientCommand parse(String frame) {
        JsonNode node;
        try {
            node = mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            return malformed("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            return malformed("a command is a JSON object with a \"type\"");
        }
        ClientCommand command = command(node, node.get("type").asText());
        JsonNode id = node.get("id");
        if (id == null || command instanceof ClientCommand.Invalid) {
            return command;
        }
        if (!id.isTextual() || !ClientCommand.Identified.isValidId(id.asText())) {
            return malformed("an \"id\" is a string of " + ClientCommand.Identified.RULE);
        }
        return new ClientCommand.Identified(id.asText(), command);
    }

    private static ClientCommand command(JsonNode node, String type) {
        switch (type) {
            case "say":
                return text(node, "text") == null ? malformed("say needs \"text\"")
                        : new ClientCommand.Say(text(node, "text"));
            case "me":
                return text(node, "text") == null ? malformed("me needs \"text\"")
                        : new ClientCommand.Me(text(node, "text"));
            case "nick":
                return text(node, "name") == null ? malformed("nick needs \"name\"")
                        : new ClientCommand.Nick(text(node, "name"));
            case "who":
                return new ClientCommand.Who();
            case "history": {
                JsonNode limit = node.get("limit");
                if (limit != null && (!limit.canConvertToInt() || limit.asInt() < 1)) {
                    return malformed("history's \"limit\" is a number of 1 or more");
                }
                String before = text(node, "before");
                java.util.Optional<io.github.wschat.history.Position> from = before == null ? java.util.Optional.empty()
                        : io.github.wschat.history.Position.parse(before);
                if (before != null && from.isEmpty()) {
                    return malformed("history's \"before\" is EPOCH:SEQ");
                }
                return new ClientCommand.History(from, limit == null ? ClientCommand.History.DEFAULT_LIMIT : limit.asInt());
            }
            case "refresh":
                return text(node, "token") == null ? malformed("refresh needs \"token\"")
                        : new ClientCommand.Refresh(text(node, "token"));
            case "msg":
                return text(node, "to") == null || text(node, "text") == null ? malformed("msg needs \"to\" and \"text\"")
                        : new ClientCommand.Msg(text(node, "to"), text(node, "text"));
            case "kick":
            case "mute":
            case "unmute":
            case "ban":
                return Moderation.of(type, text(node, "nick"), text(node, "duration"), text(node, "reason"));
            default:
                return new ClientCommand.Invalid(ChatError.UNKNOWN_COMMAND,
                        "unknown type \"" + type + "\"; use say, me, nick, who or msg");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static ClientCommand malformed(String text) {
        return new ClientCommand.Invalid(ChatError.MALFORMED, text);
    }

    @Override
    public String event(long sequence, long time, RoomEvent event) {
        return write(eventNode(null, sequence, time, event));
    }

    @Override
    public String event(String epoch, long sequence, long time, RoomEvent event) {
        return write(eventNode(epoch, sequence, time, event));
    }

    /**
     * {@code {"type":"history","id":…,"room":…,"events":[…],"more":…}}: the events as the room's event
     * frames, oldest first, each with its epoch.
     */
    @Override
    public List<String> history(String room, io.github.wschat.history.HistoryPage page, String id) {
        ObjectNode node = mapper.createObjectNode().put("type", "history");
        if (id != null) {
            node.put("id", id);
        }
        node.put("room", room);
        ArrayNode events = node.putArray("events");
        for (io.github.wschat.app.PlacedEvent event : page.events()) {
            events.add(eventNode(event.epoch(), event.sequence(), event.time(), event.event()));
        }
        node.put("more", page.more());
        return List.of(write(node));
    }

    private ObjectNode eventNode(String epoch, long sequence, long time, RoomEvent event) {
        ObjectNode node = mapper.createObjectNode().put("type", typeOf(event));
        if (epoch != null) {
            node.put("epoch", epoch);
        }
        node.put("seq", sequence).put("time", time);
        if (event instanceof RoomEvent.Message m) {
            node.put("from", m.nick()).put("text", m.text());
        } else if (event instanceof RoomEvent.Action a) {
            node.put("from", a.nick()).put("text", a.text());
        } else if (event instanceof RoomEvent.Joined j) {
            node.put("nick", j.nick());
        } else if (event instanceof RoomEvent.Left l) {
            node.put("nick", l.nick());
        } else if (event instanceof RoomEvent.Renamed r) {
            node.put("from", r.from()).put("to", r.to());
        } else if (event instanceof RoomEvent.Private p) {
            node.put("from", p.from()).put("to", p.to()).put("text", p.text());
        } else if (event instanceof RoomEvent.Notice n) {
            node.put("text", n.text());
        } else if (event instanceof RoomEvent.Removed r) {
            node.put("nick", r.nick()).put("reason", r.reason());
            if (r.banned() > 0) {
                node.put("bannedUntil", time + r.banned());
            }
        } else if (event instanceof RoomEvent.Muted m) {
            node.put("nick", m.nick()).put("until", time + m.millis()).put("reason", m.reason());
        }
        return node;
    }

    /**
     * The {@code type} a room event's frame has: {@code message}, {@code action}, {@code join}, {@code
     * leave}, {@code rename}, {@code private}, {@code notice}, {@code removed} or {@code muted}.
     *
     * @param event the event
     * @return its type's name
     */
    public static String typeOf(RoomEvent event) {
        if (event instanceof RoomEvent.Message) {
            return "message";
        } else if (event instanceof RoomEvent.Action) {
            return "action";
        } else if (event instanceof RoomEvent.Joined) {
            return "join";
        } else if (event instanceof RoomEvent.Left) {
            return "leave";
        } else if (event instanceof RoomEvent.Renamed) {
            return "rename";
        } else if (event instanceof RoomEvent.Private) {
            return "private";
        } else if (event instanceof RoomEvent.Notice) {
            return "notice";
        } else if (event instanceof RoomEvent.Removed) {
            return "removed";
        } else if (event instanceof RoomEvent.Muted) {
            return "muted";
        }
        throw new IllegalArgumentException("no JSON form for " + event);
    }

    @Override
    public List<String> welcome(String nick, String room, List<String> members, List<Sequenced> history) {
        return welcome(nick, room, members, history, null);
    }

    @Override
    public List<String> welcome(String nick, String room, List<String> members, List<Sequenced> history,
            Recovery recovery) {
        return welcome(nick, room, members, history, recovery, java.util.Set.of());
    }

    /** With {@code "roles"} after the room, sorted, when the joiner has any. */
    @Override
    public List<String> welcome(String nick, String room, List<String> members, List<Sequenced> history,
            Recovery recovery, java.util.Set<String> roles) {
        ObjectNode node = mapper.createObjectNode().put("type", "welcome").put("nick", nick).put("room", room);
        if (!roles.isEmpty()) {
            roles.stream().sorted().forEach(node.putArray("roles")::add);
        }
        String epoch = recovery == null ? null : recovery.epoch();
        if (recovery != null) {
            node.put("epoch", epoch);
            if (recovery.resumed()) {
                node.put("missed", recovery.missed());
            }
        }
        members.forEach(node.putArray("members")::add);
        ArrayNode past = node.putArray("history");
        for (Sequenced event : history) {
            past.add(eventNode(epoch, event.sequence(), event.time(), event.event()));
        }
        return List.of(write(node));
    }

    @Override
    public String members(String room, List<String> members) {
        ObjectNode node = mapper.createObjectNode().put("type", "members").put("room", room);
        members.forEach(node.putArray("members")::add);
        return write(node);
    }

    @Override
    public String status(boolean available, String text) {
        return write(mapper.createObjectNode().put("type", "status").put("state", available ? "ok" : "degraded")
                .put("text", text));
    }

    @Override
    public String error(ChatError error, String text) {
        return write(mapper.createObjectNode().put("type", "error").put("code", error.code()).put("text", text));
    }

    /** {@code {"type":"error","id":…,"code":…,"text":…}}. */
    @Override
    public String error(ChatError error, String text, String id) {
        return write(mapper.createObjectNode().put("type", "error").put("id", id).put("code", error.code())
                .put("text", text));
    }

    /** {@code {"type":"ack","id":…,"epoch":…,"seq":…}}. */
    @Override
    public String ack(String id, String epoch, long sequence) {
        // One per line with an id: written straight, without a tree, as the same JSON a tree gives.
        StringBuilder json = new StringBuilder(48 + id.length() + epoch.length()).append("{\"type\":\"ack\",\"id\":\"");
        QUOTE.quoteAsString(id, json);
        json.append("\",\"epoch\":\"");
        QUOTE.quoteAsString(epoch, json);
        return json.append("\",\"seq\":").append(sequence).append('}').toString();
    }

    /** {@code {"type":"ack","id":…}}: carried out, and nothing placed. */
    @Override
    public String ack(String id) {
        StringBuilder json = new StringBuilder(24 + id.length()).append("{\"type\":\"ack\",\"id\":\"");
        QUOTE.quoteAsString(id, json);
        return json.append("\"}").toString();
    }

    /** The members, with {@code "id"} after the type. */
    @Override
    public String members(String room, List<String> members, String id) {
        ObjectNode node = mapper.createObjectNode().put("type", "members").put("id", id).put("room", room);
        members.forEach(node.putArray("members")::add);
        return write(node);
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + node, e);
        }
    }
}
