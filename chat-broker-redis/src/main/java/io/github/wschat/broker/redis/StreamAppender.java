package io.github.wschat.broker.redis;

import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Placement;
import io.github.wschat.broker.RoomEvent;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events to the rooms' streams: one script per event (INCR, then XADD with the number as the
 * entry's id and the server's time), sent on one connection in the order {@link #append} is called, so
 * that the events one thread publishes keep their order. It does not wait for Redis: the outcome
 * completes once this node has read the event back ({@link RoomTopic#awaitReadBack}). Thread-safe.
 */
final class StreamAppender {

    private static final Logger log = LoggerFactory.getLogger(StreamAppender.class);

    /** INCR the room's counter; XADD the event with id {@code seq-0} and the server's time in ms. */
    private static final String APPEND = String.join("\n",
            "local seq = redis.call('INCR', KEYS[1])",
            "local now = redis.call('TIME')",
            "local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)",
            "redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 't', ms, 'k', ARGV[2], 'a', ARGV[3], 'b', ARGV[4], 'c', ARGV[5])",
            "return {seq, ms}");

    /**
     * As {@link #APPEND}, unless KEYS[3] names an earlier placement of the same key: then that place
     * ({@code epoch:seq}) and nothing appended. The entry keeps its key in field {@code i}, so that a
     * handover can remember it in the next epoch.
     */
    private static final String APPEND_ONCE = String.join("\n",
            "local first = redis.call('GET', KEYS[3])",
            "if first then return {-1, first} end",
            "local seq = redis.call('INCR', KEYS[1])",
            "local now = redis.call('TIME')",
            "local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)",
            "redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 't', ms, 'k', ARGV[2], 'a', ARGV[3], 'b', ARGV[4], 'c', ARGV[5], '" + EventFields.ONCE_KEY + "', ARGV[6])",
            "redis.call('SET', KEYS[3], ARGV[7] .. ':' .. seq, 'PX', ARGV[8])",
            "return {seq, ms}");

    private final StatefulRedisConnection<String, String> writer;
    private final RoomKeys keys;
    private final String streamLength;
    private final ConcurrentMap<String, RoomTopic> topics;
    private final Supplier<String> epoch;
    private final PlacedInOrder placed;
    private final BooleanSupplier telling;
    private final String onceWindowMillis;
    private final BooleanSupplier recovering;

    /**
     * @param epoch the epoch events take their place in now
     * @param placed hears each event Redis took from this node, in the order appended
     * @param telling whether anyone listens to {@code placed}: appends go without tickets while no one does
     */
    StreamAppender(StatefulRedisConnection<String, String> writer, RoomKeys keys, String streamLength,
            ConcurrentMap<String, RoomTopic> topics, Supplier<String> epoch, Broker.PlacedListener placed,
            BooleanSupplier telling, java.time.Duration onceWindow, BooleanSupplier recovering) {
        this.writer = writer;
        this.keys = keys;
        this.streamLength = streamLength;
        this.topics = topics;
        this.epoch = epoch;
        this.placed = new PlacedInOrder(placed);
        this.telling = telling;
        this.onceWindowMillis = Long.toString(onceWindow.toMillis());
        this.recovering = recovering;
    }

    /** As {@link RedisBroker#publish}. */
    CompletionStage<Void> append(String room, RoomEvent event) {
        String[] fields = EventFields.of(event);
        return append(room, event, () -> writer.async().<List<Object>>eval(APPEND, ScriptOutputType.MULTI,
                new String[] {keys.seq(room), keys.events(room)}, streamLength, fields[0], fields[1], fields[2], fields[3]),
                place -> { });
    }

    /**
     * As {@link RedisBroker#publishOnce}. Refused, as not sent, while a dropped connection is not yet
     * handled: Redis may have restarted empty, and until the handover put back the keys of the events
     * read before, a resent line would be placed again.
     */
    CompletionStage<Placement> appendOnce(String room, RoomEvent event, String key) {
        if (recovering.getAsBoolean()) {
            return CompletableFuture.failedStage(new BrokerUnavailableException(
                    "Redis is being checked after a dropped connection", null, false));
        }
        String[] fields = EventFields.of(event);
        String current = epoch.get();
        AtomicReference<Placement> answered = new AtomicReference<>();
        return append(room, event, () -> writer.async().<List<Object>>eval(APPEND_ONCE, ScriptOutputType.MULTI,
                new String[] {keys.seq(room), keys.events(room), keys.once(room, key)}, streamLength,
                fields[0], fields[1], fields[2], fields[3], key, current, onceWindowMillis), answered::set)
                .thenApply(readBack -> answered.get());
    }

    /**
     * Sends one append and completes its outcome once this node read the event back; {@code answered}
     * hears first the place Redis answered (or the first place of a repeated key).
     */
    private CompletionStage<Void> append(String room, RoomEvent event, Supplier<RedisFuture<List<Object>>> script,
            Consumer<Placement> answered) {
        List<CompletionStage<List<Object>>> sent = new ArrayList<>(1);
        Runnable send = () -> sent.add(script.get());
        long ticket = -1;
        try {
            if (telling.getAsBoolean()) {
                ticket = placed.send(send);
            } else {
                send.run();
            }
        } catch (RuntimeException e) { // RedisException, or the client already shut down
            return CompletableFuture.failedStage(e);
        }
        long told = ticket;
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        String current = epoch.get();
        sent.get(0).whenComplete((placedAt, error) -> {
            boolean repeated = error == null && (Long) placedAt.get(0) < 0;
            if (told >= 0) {
                boolean took = error == null && !repeated;
                placed.answered(told, room, current, took ? (Long) placedAt.get(0) : 0,
                        took ? (Long) placedAt.get(1) : 0, took ? event : null);
            }
            if (error != null) {
                Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
                // Rejected while disconnected: never sent. Anything else (the connection broke with the
                // command in flight, or no answer in time): Redis may have taken it.
                boolean uncertain = !(cause instanceof RedisException && String.valueOf(cause.getMessage())
                        .startsWith("Currently not connected"));
                log.warn("Could not publish to room {}{}: {}", room, uncertain ? " (unconfirmed)" : "", cause.toString());
                outcome.completeExceptionally(new BrokerUnavailableException("Redis did not take the event", cause,
                        uncertain));
                return;
            }
            String placedIn = current;
            long seq = (Long) placedAt.get(0);
            if (repeated) {
                String first = (String) placedAt.get(1);
                int colon = first.lastIndexOf(':');
                placedIn = first.substring(0, colon);
                seq = Long.parseLong(first.substring(colon + 1));
            }
            answered.accept(new Placement(placedIn, seq, repeated));
            RoomTopic topic = topics.get(room);
            if (!placedIn.equals(epoch.get()) || topic == null || !topic.awaitReadBack(seq, outcome)) {
                outcome.complete(null);
            }
        });
        return outcome;
    }
}
