package io.github.wschat.boot;

import io.github.wschat.app.ChatMember;
import io.github.wschat.server.ChatServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The actuator endpoint {@code wschat}: the rooms and their members to read, a notice to post and a
 * member to remove. Like Boot's own endpoints it is not on the web until the application exposes it
 * ({@code management.endpoints.web.exposure.include=wschat}), and its access is Boot's to restrict
 * ({@code management.endpoint.wschat.access=read-only} keeps the writes off). Over the web: {@code GET
 * /actuator/wschat}, {@code GET /actuator/wschat/{room}}, {@code POST /actuator/wschat/{room}} with {@code
 * {"text":"…"}}, {@code DELETE /actuator/wschat/{room}/{nick}}. Thread-safe.
 */
@Endpoint(id = "wschat")
public class WschatEndpoint {

    private final ChatServer chat;

    /** @param chat the running chat server */
    public WschatEndpoint(ChatServer chat) {
        this.chat = chat;
    }

    /** @return every room with members, and how many */
    @ReadOperation
    public Map<String, Object> rooms() {
        Map<String, Object> rooms = new LinkedHashMap<>();
        chat.rooms().stream().sorted().forEach(name -> rooms.put(name, chat.room(name).members().size()));
        return Map.of("rooms", rooms);
    }

    /**
     * @param room the room
     * @return its members: nickname, identity, roles and devices
     */
    @ReadOperation
    public Map<String, Object> room(@Selector String room) {
        List<Map<String, Object>> members = chat.room(room).members().stream().map(WschatEndpoint::describe).toList();
        return Map.of("room", room, "members", members);
    }

    /**
     * Posts a notice in the room.
     *
     * @param room the room
     * @param text one line
     * @return {@code {"posted": true}}
     * @throws Exception if the server could not place it within 10 s
     */
    @WriteOperation
    public Map<String, Object> post(@Selector String room, String text) throws Exception {
        chat.room(room).post(text).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return Map.of("posted", true);
    }

    /**
     * Removes a member from the room (closed with 4001).
     *
     * @param room the room
     * @param nick the member
     * @return {@code {"removed": "nick"}}
     * @throws Exception if there is no such member, or the server could not place it within 10 s
     */
    @DeleteOperation
    public Map<String, Object> kick(@Selector String room, @Selector String nick) throws Exception {
        chat.room(room).kick(nick, "removed by an operator").toCompletableFuture().get(10, TimeUnit.SECONDS);
        return Map.of("removed", nick);
    }

    private static Map<String, Object> describe(ChatMember member) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nick", member.nick());
        if (!member.identity().isAnonymous()) {
            m.put("identity", member.identity().id());
        }
        m.put("roles", member.identity().roles().stream().sorted().toList());
        m.put("devices", member.devices());
        return m;
    }
}
