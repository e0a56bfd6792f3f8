package io.github.wschat.broker.redis;

import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
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

    private final StatefulRedisConnection<String, String> writer;
    private final RoomKeys keys;
    private final String streamLength;
    private final ConcurrentMap<String, RoomTopic> topics;
    private final Supplier<String> epoch;
    private final PlacedInOrder placed;
    private final BooleanSupplier telling;

    /**
     * @param epoch the epoch events take their place in now
     * @param placed hears each event Redis took from this node, in the order appended
     * @param telling whether anyone listens to {@code placed}: appends go without tickets while no one does
     */
    StreamAppender(StatefulRedisConnection<String, String> writer, RoomKeys keys, String streamLength,
            ConcurrentMap<String, RoomTopic> topics, Supplier<String> epoch, Broker.PlacedListener placed,
            BooleanSupplier telling) {
        this.writer = writer;
        this.keys = keys;
        this.streamLength = streamLength;
        this.topics = topics;
        this.epoch = epoch;
        this.placed = new PlacedInOrder(placed);
        this.telling = telling;
    }

    /** As {@link RedisBroker#publish}. */
    CompletionStage<Void> append(String room, RoomEvent event) {
        String[] fields = EventFields.of(event);
        List<CompletionStage<List<Long>>> sent = new ArrayList<>(1);
        Runnable send = () -> sent.add(writer.async().<List<Long>>eval(APPEND, ScriptOutputType.MULTI,
                new String[] {keys.seq(room), keys.events(room)}, streamLength, fields[0], fields[1], fields[2], fields[3]));
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
        sent.get(0).whenComplete((placedAt, error) -> {
            if (told >= 0) {
                placed.answered(told, room, epoch.get(), error == null ? placedAt.get(0) : 0,
                        error == null ? placedAt.get(1) : 0, error == null ? event : null);
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
            long seq = placedAt.get(0);
            RoomTopic topic = topics.get(room);
            if (topic == null || !topic.awaitReadBack(seq, outcome)) {
                outcome.complete(null);
            }
        });
        return outcome;
    }
}
