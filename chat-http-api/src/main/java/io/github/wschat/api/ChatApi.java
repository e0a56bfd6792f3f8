package io.github.wschat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.wschat.app.RoomHandle;
import io.github.wschat.server.ChatServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's operations over HTTP and JSON, for a backend in any language — the same as {@link
 * ChatServer} and {@link RoomHandle}: list rooms, a room's members, a page of its history, post a
 * notice, kick, mute, unmute, ban, forget an identity. Described by an OpenAPI 3.1 document ({@code
 * GET openapi.json}, and docs/API.md).
 *
 * <p><b>Authentication.</b> Every request but the document's carries one of the API keys, as {@code
 * Authorization: Bearer KEY} or {@code X-Api-Key: KEY}; keys are compared in constant time, and each has
 * a name, which the log shows for each write (never the key). A missing or wrong key is answered 401.
 *
 * <p><b>Errors</b> are RFC 9457 problem details ({@code application/problem+json}): {@code type},
 * {@code title}, {@code status}, {@code detail}.
 *
 * <p><b>Retries.</b> A write may carry an {@code Idempotency-Key} (1 to 200 characters). A notice
 * posted with one is placed once across every node of a shared broker (the broker's once-keys, 10
 * minutes), and a retry is answered with the first post's place; a moderation command with one is
 * answered, within 10 minutes and on the same node, with the first answer, without being carried out
 * again. The same key with another request is refused (422).
 *
 * <p>Paths are relative to where the API is mounted (the demo: {@code /api}). Thread-safe; holds no
 * connection of its own: {@link #handle} runs on the caller's thread and waits for the server (at most
 * 10 s).
 */
public final class ChatApi {

    private static final Logger log = LoggerFactory.getLogger(ChatApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;
    private static final String JSON_TYPE = "application/json";

    private final ChatServer server;
    private final ApiKeys keys;
    private final RoomOperations operations;
    private final Cache<String, Stored> answered = CacheBuilder.newBuilder()
            .expireAfterWrite(10, TimeUnit.MINUTES).maximumSize(100_000).build();
    private final byte[] openApi;

    /** A request as the API reads it. */
    public record Request(String method, String path, String query, Function<String, String> header, byte[] body) {
        /**
         * @param method the HTTP method
         * @param path below the API's mount point, e.g. {@code /rooms/lobby/notices}
         * @param query the raw query string, or empty
         * @param header a header's value by name (case-insensitive), or null
         * @param body the request body
         */
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            query = query == null ? "" : query;
            Objects.requireNonNull(header, "header");
            body = body == null ? new byte[0] : body.clone();
        }
    }

    /** What the API answers. */
    public record Response(int status, String contentType, byte[] body) {
        /**
         * @param status the HTTP status
         * @param contentType the body's type
         * @param body the body
         */
        public Response {
            Objects.requireNonNull(contentType, "contentType");
            body = body.clone();
        }

        /** @return a copy of the body */
        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** An answer kept for an idempotency key, with what it answered. */
    private record Stored(String request, Response response) {
    }

    private ChatApi(ChatServer server, ApiKeys keys) {
        this.server = server;
        this.keys = keys;
        this.operations = new RoomOperations(server);
        try (InputStream in = Objects.requireNonNull(ChatApi.class.getResourceAsStream("openapi.json"), "openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A builder for the API of this server.
     *
     * @param server the running server
     * @return the builder
     */
    public static Builder builder(ChatServer server) {
        return new Builder(Objects.requireNonNull(server, "server"));
    }

    /** Builds a {@link ChatApi}. Not thread-safe. */
    public static final class Builder {
        private final ChatServer server;
        private final Map<String, String> keys = new LinkedHashMap<>();
        private boolean container;

        private Builder(ChatServer server) {
            this.server = server;
        }

        /**
         * Adds an API key.
         *
         * @param name shown in logs for each request it authenticates, e.g. {@code billing-backend}
         * @param key the secret, at least 16 characters
         * @return this builder
         * @throws IllegalArgumentException if the key is shorter than 16 characters, or the name is taken
         */
        public Builder key(String name, String key) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
            if (key.length() < 16) {
                throw new IllegalArgumentException("an API key has at least 16 characters: " + name);
            }
            if (keys.putIfAbsent(name, key) != null) {
                throw new IllegalArgumentException("two API keys named " + name);
            }
            return this;
        }

        /**
         * Lets the API be built without keys: its callers are authenticated by the container that
         * serves it (Spring Security, say), which answers them with {@link ChatApi#handleAs}.
         *
         * @return this builder
         */
        public Builder callersAuthenticatedByContainer() {
            this.container = true;
            return this;
        }

        /**
         * @return the API
         * @throws IllegalStateException without a key, unless {@link #callersAuthenticatedByContainer()}
         */
        public ChatApi build() {
            if (keys.isEmpty() && !container) {
                throw new IllegalStateException("the API needs at least one key");
            }
            return new ChatApi(server, new ApiKeys(keys));
        }
    }

    /**
     * Answers a request.
     *
     * @param request the request
     * @return the answer; never throws for a bad request (a problem detail instead)
     */
    public Response handle(Request request) {
        List<String> parts = parts(request);
        Optional<String> caller = keys.caller(request.header());
        if (caller.isEmpty() && !isDocument(request, parts)) {
            return ApiRefusal.problem(401, "unauthorized", "Unauthorized",
                    "an API key is needed: Authorization: Bearer KEY, or X-Api-Key: KEY");
        }
        return answer(request, parts, caller.orElse("anyone"));
    }

    /**
     * Answers a request whose caller the container serving the API authenticated and allowed (a Spring
     * Security user with the API's role, say): no key is asked for. The container is then
     * responsible for what keys do otherwise — and for cross-site request forgery, since browsers send
     * sessions by themselves (Spring Security's CSRF protection does it).
     *
     * @param caller who calls, for the log and the idempotency keys: e.g. {@code user:alice}
     * @param request the request
     * @return the answer; never throws for a bad request (a problem detail instead)
     */
    public Response handleAs(String caller, Request request) {
        if (Objects.requireNonNull(caller, "caller").isBlank()) {
            throw new IllegalArgumentException("a caller has a name");
        }
        return answer(request, parts(request), caller);
    }

    private static List<String> parts(Request request) {
        return Arrays.stream(Objects.requireNonNull(request, "request").path().split("/")).filter(p -> !p.isEmpty())
                .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8)).toList();
    }

    /** The OpenAPI document, which anyone may read. */
    private static boolean isDocument(Request request, List<String> parts) {
        return request.method().equals("GET") && parts.equals(List.of("openapi.json"));
    }

    private Response answer(Request request, List<String> parts, String caller) {
        if (isDocument(request, parts)) {
            return new Response(200, JSON_TYPE, openApi);
        }
        try {
            return route(request, parts, caller);
        } catch (ApiRefusal refusal) {
            return refusal.response();
        } catch (RuntimeException e) {
            log.warn("The API failed on {} {}", request.method(), request.path(), e);
            return ApiRefusal.problem(500, "internal", "Internal error", "the server could not answer: " + e.getClass().getSimpleName());
        }
    }

    private Response route(Request request, List<String> parts, String caller) {
        String method = request.method();
        int n = parts.size();
        if (n == 1 && parts.get(0).equals("rooms")) {
            requireMethod(method, "GET");
            return operations.rooms();
        }
        if (n >= 2 && parts.get(0).equals("rooms")) {
            RoomHandle room = operations.room(parts.get(1));
            if (n == 3 && parts.get(2).equals("members")) {
                requireMethod(method, "GET");
                return operations.members(room);
            }
            if (n == 3 && parts.get(2).equals("history")) {
                requireMethod(method, "GET");
                return operations.history(room, query(request.query()));
            }
            if (n == 3 && parts.get(2).equals("notices")) {
                requireMethod(method, "POST");
                return operations.notice(room, body(request), request.header().apply("Idempotency-Key"), caller);
            }
            if (n == 5 && parts.get(2).equals("members")) {
                requireMethod(method, "POST");
                String nick = parts.get(3);
                String action = parts.get(4);
                if (!List.of("kick", "mute", "unmute", "ban").contains(action)) {
                    throw ApiRefusal.of(404, "not-found", "Not found", "no operation " + action);
                }
                JsonNode body = body(request);
                return once(request, caller, () -> operations.moderate(room, nick, action, body, caller));
            }
        }
        if (n == 2 && parts.get(0).equals("identities")) {
            requireMethod(method, "DELETE");
            return once(request, caller, () -> operations.forget(parts.get(1), caller));
        }
        throw ApiRefusal.of(404, "not-found", "Not found", "no such resource: " + request.path());
    }

    /** A write with an Idempotency-Key: carried out once, its answer kept for 10 minutes. */
    private Response once(Request request, String caller, java.util.function.Supplier<Response> write) {
        String key = request.header().apply("Idempotency-Key");
        if (key == null) {
            return write.get();
        }
        RoomOperations.requireKey(key);
        String what = request.method() + " " + request.path() + " " + new String(request.body(), StandardCharsets.UTF_8);
        String slot = caller + "\u0000" + key;
        Stored stored;
        try {
            stored = answered.get(slot, () -> new Stored(what, write.get()));
        } catch (ExecutionException | com.google.common.util.concurrent.UncheckedExecutionException e) {
            if (e.getCause() instanceof ApiRefusal refusal) {
                throw refusal;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        if (!stored.request().equals(what)) {
            throw ApiRefusal.of(422, "idempotency-key-reused", "Idempotency-Key reused",
                    "this Idempotency-Key was used for another request in the last 10 minutes");
        }
        return stored.response();
    }

    // ---- helpers ----

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw ApiRefusal.of(405, "method-not-allowed", "Method not allowed", "use " + allowed);
        }
    }

    private static JsonNode body(Request request) {
        if (request.body().length == 0) {
            return JSON.createObjectNode();
        }
        if (request.body().length > MAX_BODY) {
            throw ApiRefusal.of(413, "too-large", "Body too large", "at most " + MAX_BODY + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw ApiRefusal.of(400, "bad-request", "Bad request", "the body is a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiRefusal.of(400, "bad-request", "Bad request", "the body is not JSON");
        }
    }

    private static Map<String, String> query(String query) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    /**
     * The API as a JDK {@link HttpHandler}, for a {@code com.sun.net.httpserver.HttpServer} context at
     * {@code mount} (e.g. {@code /api}): the path below it is the API's.
     *
     * @param mount the context's path
     * @return the handler
     */
    public HttpHandler httpHandler(String mount) {
        Objects.requireNonNull(mount, "mount");
        return exchange -> {
            try (exchange) {
                String full = exchange.getRequestURI().getRawPath();
                String path = full.startsWith(mount) ? full.substring(mount.length()) : full;
                byte[] body = readBody(exchange);
                Response response = body == null
                        ? ApiRefusal.problem(413, "too-large", "Body too large", "at most " + MAX_BODY + " bytes")
                        : handle(new Request(exchange.getRequestMethod().toUpperCase(Locale.ROOT), path,
                                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders()::getFirst, body));
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                byte[] out = response.body();
                exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream stream = exchange.getResponseBody()) {
                        stream.write(out);
                    }
                }
            }
        };
    }

    /** The body, or null where it is over the limit. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? null : body;
        }
    }
}
