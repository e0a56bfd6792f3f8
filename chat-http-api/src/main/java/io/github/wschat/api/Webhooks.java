package io.github.wschat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.github.wschat.app.EventSink;
import io.github.wschat.app.PlacedEvent;
import io.github.wschat.protocol.JsonFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Webhooks: the public events a node delivers, POSTed to the backend's URL in batches, signed — an
 * {@link EventSink}, given to {@code ChatServer.Builder.eventSink("webhook", webhooks)} (the demo:
 * {@code --webhook-url}, {@code --webhook-secret}).
 *
 * <p><b>What the backend gets.</b> {@code POST} with {@code Content-Type: application/json} and the
 * body {@code {"events":[{"id":"lobby:3f9c2a71:13","room":"lobby","event":{…}}]}}, each {@code event}
 * as the JSON protocol writes it (docs/PROTOCOL.md), in each room's order. Any 2xx takes the batch;
 * anything else, or no answer within the timeout, has it sent again, whole, after a pause growing to
 * 5 s, later events waiting behind it. Delivery is <b>at least once</b>: every node with members in a
 * room sends the events it delivered, and a retry repeats a batch — deduplicate by {@code id} (room,
 * epoch, sequence: never reused), keeping the first: each node sends in the room's order, so what is
 * kept is in the room's order too.
 *
 * <p><b>Signatures</b>, as Standard Webhooks has them: {@code webhook-id} (the same for a batch
 * however often it is sent), {@code webhook-timestamp} (seconds since 1970) and {@code
 * webhook-signature: v1,BASE64} where the signature is HMAC-SHA256, keyed with the secret's UTF-8
 * bytes, of {@code id + "." + timestamp + "." + body}. {@link #verify} checks one. Refuse a timestamp
 * far from now (5 minutes), so that a recorded request cannot be replayed later.
 *
 * <p>Immutable; thread-safe.
 */
public final class Webhooks implements EventSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignedPost post;
    private final Predicate<String> rooms;
    private final Set<String> kinds;

    private Webhooks(Builder builder) {
        this.post = new SignedPost(builder.url, builder.secret, builder.timeout);
        this.rooms = builder.rooms;
        this.kinds = builder.kinds;
    }

    /**
     * A builder for webhooks to this URL, signed with this secret.
     *
     * @param url the backend's endpoint, http or https
     * @param secret at least 16 characters, shared with the backend
     * @return the builder
     */
    public static Builder to(URI url, String secret) {
        return new Builder(url, secret);
    }

    /** Builds {@link Webhooks}. Not thread-safe. */
    public static final class Builder {
        private final URI url;
        private final String secret;
        private Predicate<String> rooms = room -> true;
        private Set<String> kinds = Set.of();
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(URI url, String secret) {
            SignedPost.check(url, secret, "webhook");
            this.url = url;
            this.secret = secret;
        }

        /**
         * Only these rooms' events. Default: every room.
         *
         * @param names the rooms
         * @return this builder
         */
        public Builder rooms(Set<String> names) {
            Set<String> copy = Set.copyOf(names);
            this.rooms = copy::contains;
            return this;
        }

        /**
         * Only these kinds of event, as the protocol names them ({@code message}, {@code action}, {@code
         * join}, {@code leave}, {@code rename}, {@code notice}, {@code removed}, {@code muted}). Default: all.
         *
         * @param types the kinds
         * @return this builder
         */
        public Builder kinds(Set<String> types) {
            this.kinds = Set.copyOf(types);
            return this;
        }

        /**
         * How long to wait for the backend's answer before sending the batch again. Default 10 s.
         *
         * @param wait positive
         * @return this builder
         */
        public Builder timeout(Duration wait) {
            this.timeout = SignedPost.positive(wait);
            return this;
        }

        /** @return the webhooks */
        public Webhooks build() {
            return new Webhooks(this);
        }
    }

    @Override
    public void accept(List<PlacedEvent> batch) throws IOException, InterruptedException {
        ArrayNode events = JSON.createArrayNode();
        StringBuilder ids = new StringBuilder();
        for (PlacedEvent placed : batch) {
            if (!rooms.test(placed.room())) {
                continue;
            }
            if (!kinds.isEmpty() && !kinds.contains(JsonFormat.typeOf(placed.event()))) {
                continue;
            }
            String id = placed.room() + ":" + placed.epoch() + ":" + placed.sequence();
            ids.append(id).append('\n');
            // The protocol's own frame, written once and put in as it is: no tree of it.
            events.addObject().put("id", id).put("room", placed.room()).putRawValue("event", new RawValue(
                    JsonFormat.INSTANCE.event(placed.epoch(), placed.sequence(), placed.time(), placed.event())));
        }
        if (events.isEmpty()) {
            return;
        }
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().set("events", events));
        String id = "msg_" + HexFormat.of().formatHex(sha256(ids.toString())).substring(0, 32);
        HttpRequest request = post.request(id, body);
        HttpResponse<Void> answer = post.http().send(request, HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("the webhook answered " + answer.statusCode() + " to " + events.size() + " events");
        }
    }

    /**
     * Checks a webhook's signature, as a backend on the JVM would: the HMAC of its id, timestamp and
     * body with the secret, compared in constant time, and the timestamp within {@code tolerance} of now.
     *
     * @param secret the shared secret
     * @param id the {@code webhook-id} header
     * @param timestamp the {@code webhook-timestamp} header
     * @param body the body as received
     * @param signatures the {@code webhook-signature} header (space-separated {@code v1,…} values)
     * @param tolerance how far from now the timestamp may be
     * @return whether one of the signatures is right and the timestamp is recent
     */
    public static boolean verify(String secret, String id, String timestamp, byte[] body, String signatures,
            Duration tolerance) {
        return Signing.verify(secret, id, timestamp, body, signatures, tolerance);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
