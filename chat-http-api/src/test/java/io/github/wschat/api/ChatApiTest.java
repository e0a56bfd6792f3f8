package io.github.wschat.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.sun.net.httpserver.HttpServer;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API over real HTTP (the JDK's HttpServer and HttpClient on 127.0.0.1) on a real chat server with
 * real WebSocket members; every response checked against the OpenAPI document it serves, by a JSON
 * Schema validator (networknt, draft 2020-12).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String KEY = "backend-key-0123456789";

    private ChatServer chat;
    private HttpServer http;
    private final HttpClient client = HttpClient.newHttpClient();
    private final JdkWebSocketConnector connector = new JdkWebSocketConnector();
    private final List<TckClient> members = new ArrayList<>();
    private JsonNode openApi;
    private int checked;

    @BeforeEach
    void start() throws Exception {
        chat = ChatServer.builder().transport("netty").host("127.0.0.1").port(0).announceJoins(false).start();
        ChatApi api = ChatApi.builder(chat).key("billing", KEY).key("ops", "another-key-0123456789").build();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        http.createContext("/api", api.httpHandler("/api"));
        http.start();
        openApi = JSON.readTree(send("GET", "/openapi.json", null, Map.of()).body());
    }

    @AfterEach
    void stop() {
        members.forEach(TckClient::abort);
        http.stop(0);
        chat.close();
    }

    @Test
    void withoutTheRightKeyEveryOperationIsRefusedWith401() throws Exception {
        HttpResponse<String> none = send("GET", "/rooms", null, Map.of());
        assertEquals(401, none.statusCode());
        assertEquals("application/problem+json", none.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(401, JSON.readTree(none.body()).get("status").asInt());
        assertEquals(401, send("GET", "/rooms", null, Map.of("Authorization", "Bearer wrong-key-0123456789")).statusCode());
        assertEquals(401, send("POST", "/rooms/lobby/notices", "{\"text\":\"hi\"}", Map.of("X-Api-Key", KEY + "x")).statusCode());
        assertEquals(200, call("GET", "/rooms", null).statusCode());
        assertEquals(200, send("GET", "/rooms", null, Map.of("X-Api-Key", "another-key-0123456789")).statusCode());
        assertThrows(IllegalArgumentException.class, () -> ChatApi.builder(chat).key("short", "too-short"));
    }

    @Test
    void roomsMembersHistoryAndANoticePlacedOncePerIdempotencyKey() throws Exception {
        TckClient ann = member("lobby", "ann");
        ann.send("hello");
        ann.nextMessageMatching(m -> m.equals("ann: hello"), WAIT);

        JsonNode rooms = json(call("GET", "/rooms", null), 200);
        assertEquals("lobby", rooms.get("rooms").get(0).get("name").asText());
        assertEquals(1, rooms.get("rooms").get(0).get("members").asInt());
        JsonNode list = json(call("GET", "/rooms/lobby/members", null), 200);
        assertEquals("ann", list.get("members").get(0).get("nick").asText());
        assertEquals(1, list.get("members").get(0).get("devices").asInt());

        Map<String, String> once = Map.of("Idempotency-Key", "notice-1");
        JsonNode first = json(call("POST", "/rooms/lobby/notices", "{\"text\":\"the quiz starts at 8\"}", once), 201);
        JsonNode again = json(call("POST", "/rooms/lobby/notices", "{\"text\":\"the quiz starts at 8\"}", once), 200);
        assertEquals(first.get("seq"), again.get("seq"));
        assertTrue(again.get("repeated").asBoolean());
        ann.nextMessageMatching(m -> m.contains("the quiz starts at 8"), WAIT);
        json(call("POST", "/rooms/lobby/notices", "{\"text\":\"after\"}", Map.of()), 201);
        ann.nextMessageMatching(m -> m.contains("after"), WAIT);

        JsonNode page = json(call("GET", "/rooms/lobby/history?limit=10", null), 200);
        List<String> texts = new ArrayList<>();
        page.get("events").forEach(e -> texts.add(e.path("text").asText()));
        assertEquals(List.of("hello", "the quiz starts at 8", "after"), texts, "the notice once, in the room's order");
        assertFalse(page.get("more").asBoolean());
        JsonNode older = json(call("GET", "/rooms/lobby/history?limit=1&before=" + page.get("events").get(2).get("epoch").asText()
                + ":" + page.get("events").get(2).get("seq").asLong(), null), 200);
        assertEquals("the quiz starts at 8", older.get("events").get(0).get("text").asText());
        assertTrue(older.get("more").asBoolean());
    }

    @Test
    void moderationByApiAndItsRetries() throws Exception {
        TckClient bob = member("lobby", "bob");
        member("lobby", "watcher");
        json(call("POST", "/rooms/lobby/members/bob/mute", "{\"duration\":\"10m\",\"reason\":\"shouting\"}", Map.of()), 204);
        bob.send("may I?");
        bob.nextMessageMatching(m -> m.contains("muted"), WAIT);
        json(call("POST", "/rooms/lobby/members/bob/unmute", null, Map.of()), 204);

        Map<String, String> once = Map.of("Idempotency-Key", "kick-bob");
        json(call("POST", "/rooms/lobby/members/bob/kick", "{\"reason\":\"spamming\"}", once), 204);
        assertEquals(4001, bob.awaitClose(WAIT).code());
        // The retry is answered as the first was; without the key, the member is gone.
        json(call("POST", "/rooms/lobby/members/bob/kick", "{\"reason\":\"spamming\"}", once), 204);
        JsonNode gone = json(call("POST", "/rooms/lobby/members/bob/kick", "{\"reason\":\"spamming\"}", Map.of()), 404);
        assertTrue(gone.get("detail").asText().contains("bob"));
        JsonNode reused = json(call("POST", "/rooms/lobby/members/watcher/kick", "{\"reason\":\"other\"}", once), 422);
        assertEquals("Idempotency-Key reused", reused.get("title").asText());
    }

    @Test
    void badRequestsGetProblemDetails() throws Exception {
        member("lobby", "cat");
        json(call("POST", "/rooms/lobby/members/cat/mute", "{}", Map.of()), 400);
        json(call("POST", "/rooms/lobby/members/cat/mute", "{\"duration\":\"soon\"}", Map.of()), 400);
        json(call("POST", "/rooms/lobby/notices", "not json", Map.of()), 400);
        json(call("POST", "/rooms/lobby/notices", "{\"text\":\"two\\nlines\"}", Map.of()), 400);
        json(call("GET", "/rooms/lobby/history?limit=500", null), 400);
        json(call("GET", "/rooms/lobby/history?before=nonsense", null), 400);
        json(call("GET", "/rooms/bad%20name/members", null), 404);
        json(call("DELETE", "/rooms", null), 405);
        json(call("GET", "/nothing", null), 404);
        json(call("DELETE", "/identities/someone", null), 200);
        assertTrue(checked >= 10, "every response above was checked against the document");
    }

    private TckClient member(String room, String nick) throws Exception {
        TckClient member = connector.connect(URI.create("ws://127.0.0.1:" + chat.address().getPort() + "/chat/" + room
                + "?nick=" + nick), Map.of(), List.of());
        members.add(member);
        await().atMost(WAIT).until(() -> chat.room(room).members().stream().anyMatch(m -> m.nick().equals(nick)));
        return member;
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, Map.of());
    }

    private HttpResponse<String> call(String method, String path, String body, Map<String, String> headers) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Authorization", "Bearer " + KEY);
        HttpResponse<String> response = send(method, path, body, all);
        conforms(method, path, response);
        return response;
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/api" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** The response is one the document declares for this operation, and its body matches that schema. */
    private void conforms(String method, String path, HttpResponse<String> response) throws Exception {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        JsonNode operation = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = openApi.get("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (bare.matches(entry.getKey().replaceAll("\\{[^}]+}", "[^/]+"))) {
                operation = entry.getValue().get(method.toLowerCase(java.util.Locale.ROOT));
                if (operation == null) {
                    assertEquals(405, response.statusCode(), method + " " + bare + " is not in the document");
                    checked++;
                    return;
                }
            }
        }
        if (operation == null) {
            assertEquals(404, response.statusCode(), bare + " is not in the document");
            checked++;
            return;
        }
        JsonNode declared = operation.get("responses").get(Integer.toString(response.statusCode()));
        assertTrue(declared != null, method + " " + bare + " answered " + response.statusCode() + ", which the document does not declare");
        if (declared.has("$ref")) {
            declared = resolve(declared.get("$ref").asText());
        }
        if (!declared.has("content")) {
            assertTrue(response.body().isEmpty(), "no body declared for " + response.statusCode());
            checked++;
            return;
        }
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        JsonNode content = declared.get("content").get(type);
        assertTrue(content != null, "the document declares no " + type + " for " + method + " " + bare + " " + response.statusCode());
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.setAll((ObjectNode) content.get("schema").deepCopy());
        schema.set("components", openApi.get("components"));
        List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema)
                .validate(JSON.readTree(response.body()));
        assertEquals(List.of(), errors.stream().map(Object::toString).toList(), method + " " + bare + ": " + response.body());
        checked++;
    }

    private JsonNode resolve(String ref) {
        return openApi.at(ref.substring(1));
    }
}
