package io.github.wschat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wschat.app.AsyncJoinHook;
import io.github.wschat.app.Identity;
import io.github.wschat.app.JoinVerdict;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * An {@link AsyncJoinHook} that asks the backend who may enter which room: each connection's question
 * is POSTed as JSON to a URL, signed (the headers of {@link Webhooks}), and the answer decides — so a
 * backend in any language keeps rooms to their members. {@code
 * ChatServer.Builder.asyncJoinHook(HttpJoinHook.to(url, secret).build())}; the demo: {@code
 * --join-hook-url URL --hook-secret SECRET}; the Boot starter: {@code wschat.hooks.join-url}.
 *
 * <p>The question: {@code {"room":"staff","identity":{"id":"u-17","roles":["operator"],
 * "attributes":{"name":"Ann"}}}} ({@code identity} is {@code null} for an anonymous member). The answer, 200 with {@code
 * {"verdict":"allow"}} or {@code {"verdict":"refuse","status":403,"reason":"staff only"}} ({@code status}
 * 400–599, 403 if absent). The member's connection is open meanwhile but has not joined; a refusal closes
 * it with 4000 + the status (4403 for 403) or, for a 5xx status, 1013 (see {@link AsyncJoinHook}).
 *
 * <p><b>When the backend fails.</b> An answer that is not 200 with a verdict, none within the timeout
 * (default 1.5 s; the server's own deadline, {@code asyncJoinDeadline}, 5 s by default, applies too), or
 * a connection refused, refuses the member with 503 "your joining could not be checked; try again
 * later" (close code 1013: clients reconnect later, as they do when a node is away); {@code failOpen()}
 * lets members in unchecked instead. After 5 failures in a row the hook stops asking for 10 s (a circuit
 * breaker: members get that verdict at once), then lets one connection through as a probe.
 *
 * <p>Never blocks a transport thread: the request is sent asynchronously on the JDK's {@link
 * java.net.http.HttpClient}, its connections kept alive and reused. Thread-safe.
 */
public final class HttpJoinHook implements AsyncJoinHook {

    private final HookCall<JoinVerdict> call;

    private HttpJoinHook(Builder builder) {
        this.call = new HookCall<>(builder, "join hook", "join_", builder.failOpen ? JoinVerdict.allow()
                : JoinVerdict.refuse(503, "your joining could not be checked; try again later"));
    }

    /**
     * A builder for a hook that asks this URL, signing with this secret.
     *
     * @param url the backend's endpoint, http or https
     * @param secret at least 16 characters, shared with the backend
     * @return the builder
     */
    public static Builder to(URI url, String secret) {
        return new Builder(url, secret);
    }

    /** Builds an {@link HttpJoinHook}. Not thread-safe. */
    public static final class Builder extends HookBuilder<Builder> {

        private Builder(URI url, String secret) {
            super(url, secret);
        }

        @Override
        Builder self() {
            return this;
        }

        /** @return the hook */
        public HttpJoinHook build() {
            return new HttpJoinHook(this);
        }
    }

    @Override
    public CompletionStage<JoinVerdict> check(Identity identity, String room) {
        return call.ask(question(identity, room), HttpJoinHook::verdict);
    }

    private static JoinVerdict verdict(JsonNode verdict) {
        return switch (verdict.path("verdict").asText().toLowerCase(Locale.ROOT)) {
            case "allow" -> JoinVerdict.allow();
            case "refuse" -> {
                int status = verdict.path("status").asInt(403);
                yield status >= 400 && status <= 599
                        ? JoinVerdict.refuse(status, verdict.path("reason").asText("refused")) : null;
            }
            default -> null;
        };
    }

    private static ObjectNode question(Identity identity, String room) {
        ObjectNode q = HookCall.JSON.createObjectNode().put("room", room);
        if (identity.isAnonymous()) {
            q.putNull("identity");
        } else {
            ObjectNode who = q.putObject("identity").put("id", identity.id());
            ArrayNode roles = who.putArray("roles");
            identity.roles().stream().sorted().forEach(roles::add);
            ObjectNode attributes = who.putObject("attributes");
            identity.attributes().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(a -> attributes.put(a.getKey(), a.getValue()));
        }
        return q;
    }
}
