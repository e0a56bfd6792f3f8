package io.github.wschat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Line;
import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * A {@link LineFilter} that asks the backend: each line is POSTed as JSON to a URL, signed (the headers
 * of {@link Webhooks}), and the answer decides — so a backend in any language accepts, rewrites or
 * refuses lines. {@code ChatServer.Builder.lineFilter(HttpLineFilter.to(url, secret).build())}; the
 * demo: {@code --line-filter-url URL --hook-secret SECRET}.
 *
 * <p>The question: {@code {"room":"lobby","sender":{"nick":"ann","identity":"u-17","roles":[]},
 * "line":{"kind":"message","text":"hello","to":"bob"}}} ({@code identity} absent for anonymous
 * members, {@code to} for private lines only). The answer, 200 with {@code {"verdict":"accept"}},
 * {@code {"verdict":"rewrite","text":"…"}} or {@code {"verdict":"refuse","reason":"…"}}.
 *
 * <p><b>When the backend fails.</b> An answer that is not 200 with a verdict, none within the timeout
 * (default 1.5 s; the server's own deadline, {@code lineFilterDeadline}, 2 s by default, applies too),
 * or a connection refused, gets the verdict for an unreachable backend: by default the line is
 * refused with "the line could not be checked" (the sender sees an error, no one else anything);
 * {@link Builder#failOpen} accepts it instead. After 5 failures in a row the filter stops asking for
 * 10 s (a circuit breaker: lines get that verdict at once, and no request piles up behind a dead
 * backend), then lets one line through to see whether the backend is back.
 *
 * <p>Never blocks a transport thread: the request is sent asynchronously on the JDK's {@link java.net.http.HttpClient}
 * (its connections kept alive and reused); the server keeps each sender's lines in order.
 * Thread-safe.
 */
public final class HttpLineFilter implements LineFilter {

    private final HookCall<LineVerdict> call;

    private HttpLineFilter(Builder builder) {
        this.call = new HookCall<>(builder, "line filter", "msg_", builder.failOpen ? LineVerdict.accept()
                : LineVerdict.refuse("the line could not be checked"));
    }

    /**
     * A builder for a filter that asks this URL, signing with this secret.
     *
     * @param url the backend's endpoint, http or https
     * @param secret at least 16 characters, shared with the backend
     * @return the builder
     */
    public static Builder to(URI url, String secret) {
        return new Builder(url, secret);
    }

    /** Builds an {@link HttpLineFilter}. Not thread-safe. */
    public static final class Builder extends HookBuilder<Builder> {

        private Builder(URI url, String secret) {
            super(url, secret);
        }

        @Override
        Builder self() {
            return this;
        }

        /** @return the filter */
        public HttpLineFilter build() {
            return new HttpLineFilter(this);
        }
    }

    @Override
    public CompletionStage<LineVerdict> check(ChatMember sender, String room, Line line) {
        return call.ask(question(sender, room, line), HttpLineFilter::verdict);
    }

    private static LineVerdict verdict(JsonNode verdict) {
        return switch (verdict.path("verdict").asText().toLowerCase(Locale.ROOT)) {
            case "accept" -> LineVerdict.accept();
            case "rewrite" -> verdict.path("text").isTextual() && !verdict.path("text").asText().isBlank()
                    ? LineVerdict.rewrite(verdict.path("text").asText()) : null;
            case "refuse" -> LineVerdict.refuse(verdict.path("reason").asText("refused"));
            default -> null;
        };
    }

    private static ObjectNode question(ChatMember sender, String room, Line line) {
        ObjectNode q = HookCall.JSON.createObjectNode().put("room", room);
        ObjectNode who = q.putObject("sender").put("nick", sender.nick());
        if (!sender.identity().isAnonymous()) {
            who.put("identity", sender.identity().id());
        }
        ArrayNode roles = who.putArray("roles");
        sender.identity().roles().stream().sorted().forEach(roles::add);
        ObjectNode l = q.putObject("line").put("kind", line.kind().name().toLowerCase(Locale.ROOT)).put("text", line.text());
        line.to().ifPresent(to -> l.put("to", to));
        return q;
    }
}
