package io.github.wschat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Line;
import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger log = LoggerFactory.getLogger(HttpLineFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignedPost post;
    private final LineVerdict unavailable;
    private final int failuresToOpen;
    private final Duration openFor;
    private final AtomicInteger failures = new AtomicInteger();
    /** Until when (nanoTime) the breaker is open; 0 when closed. */
    private final AtomicLong openUntil = new AtomicLong();

    private HttpLineFilter(Builder builder) {
        this.post = new SignedPost(builder.url, builder.secret, builder.timeout);
        this.unavailable = builder.failOpen ? LineVerdict.accept() : LineVerdict.refuse("the line could not be checked");
        this.failuresToOpen = builder.failuresToOpen;
        this.openFor = builder.openFor;
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
    public static final class Builder {
        private final URI url;
        private final String secret;
        private Duration timeout = Duration.ofMillis(1500);
        private boolean failOpen;
        private int failuresToOpen = 5;
        private Duration openFor = Duration.ofSeconds(10);

        private Builder(URI url, String secret) {
            SignedPost.check(url, secret, "hook");
            this.url = url;
            this.secret = secret;
        }

        /**
         * How long to wait for the backend. Default 1.5 s.
         *
         * @param wait positive
         * @return this builder
         */
        public Builder timeout(Duration wait) {
            this.timeout = SignedPost.positive(wait);
            return this;
        }

        /**
         * Accept lines the backend could not check (it failed, was late, or the breaker is open),
         * instead of refusing them.
         *
         * @return this builder
         */
        public Builder failOpen() {
            this.failOpen = true;
            return this;
        }

        /**
         * The circuit breaker: after {@code failures} failures in a row, stop asking for {@code openFor}.
         * Default 5 and 10 s.
         *
         * @param failures positive
         * @param open positive
         * @return this builder
         */
        public Builder breaker(int failures, Duration open) {
            if (failures < 1 || open.isNegative() || open.isZero()) {
                throw new IllegalArgumentException("the breaker needs a positive count and time");
            }
            this.failuresToOpen = failures;
            this.openFor = open;
            return this;
        }

        /** @return the filter */
        public HttpLineFilter build() {
            return new HttpLineFilter(this);
        }
    }

    @Override
    public CompletionStage<LineVerdict> check(ChatMember sender, String room, Line line) {
        long open = openUntil.get();
        if (open != 0) {
            if (System.nanoTime() - open < 0) {
                return CompletableFuture.completedStage(unavailable);
            }
            if (!openUntil.compareAndSet(open, System.nanoTime() + openFor.toNanos())) {
                return CompletableFuture.completedStage(unavailable); // another line is the probe
            }
            // this line is the probe: asked; its answer closes the breaker, or its failure keeps it open
        }
        byte[] body = question(sender, room, line);
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        HttpRequest request = post.request(id, body);
        return post.http().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(this::verdict)
                .exceptionally(this::failed);
    }

    private LineVerdict verdict(HttpResponse<byte[]> answer) {
        if (answer.statusCode() != 200) {
            return failed(new IOException("the line filter answered " + answer.statusCode()));
        }
        JsonNode verdict;
        try {
            verdict = JSON.readTree(answer.body());
        } catch (IOException e) {
            return failed(new IOException("the line filter's answer is not JSON"));
        }
        LineVerdict decided = switch (verdict.path("verdict").asText().toLowerCase(Locale.ROOT)) {
            case "accept" -> LineVerdict.accept();
            case "rewrite" -> verdict.path("text").isTextual() && !verdict.path("text").asText().isBlank()
                    ? LineVerdict.rewrite(verdict.path("text").asText()) : null;
            case "refuse" -> LineVerdict.refuse(verdict.path("reason").asText("refused"));
            default -> null;
        };
        if (decided == null) {
            return failed(new IOException("the line filter's answer has no verdict: " + verdict));
        }
        failures.set(0);
        openUntil.set(0);
        return decided;
    }

    private LineVerdict failed(Throwable error) {
        int inARow = failures.incrementAndGet();
        if (inARow >= failuresToOpen) {
            if (openUntil.getAndSet(System.nanoTime() + openFor.toNanos()) == 0) {
                log.warn("The line filter at {} failed {} times in a row (last: {}); not asked for {} s", post.url(), inARow,
                        error.toString(), openFor.toSeconds());
            }
        } else if (inARow == 1) {
            log.warn("The line filter at {} failed: {}", post.url(), error.toString());
        }
        return unavailable;
    }

    private static byte[] question(ChatMember sender, String room, Line line) {
        ObjectNode q = JSON.createObjectNode().put("room", room);
        ObjectNode who = q.putObject("sender").put("nick", sender.nick());
        if (!sender.identity().isAnonymous()) {
            who.put("identity", sender.identity().id());
        }
        ArrayNode roles = who.putArray("roles");
        sender.identity().roles().stream().sorted().forEach(roles::add);
        ObjectNode l = q.putObject("line").put("kind", line.kind().name().toLowerCase(Locale.ROOT)).put("text", line.text());
        line.to().ifPresent(to -> l.put("to", to));
        try {
            return JSON.writeValueAsBytes(q);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
