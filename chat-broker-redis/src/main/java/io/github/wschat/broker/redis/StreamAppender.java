package io.github.wschat.broker.redis;

import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Placement;
import io.github.wschat.broker.RoomEvent;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events to the rooms' streams: one script per event ({@link RoomScripts}: the room's epoch,
 * INCR, then XADD with the number as the entry's id and the server's time, the budget and the
 * retention), sent on one connection in the order {@link #append} is called, so
 * that the events one thread publishes keep their order. It does not wait for Redis: the outcome
 * completes once this node has read the event back ({@link RoomTopic#awaitReadBack}). Thread-safe.
 */
final class StreamAppender {

    private static final Logger log = LoggerFactory.getLogger(StreamAppender.class);

    private final RedisLink writer;
    private final RoomKeys keys;
    private final RoomScripts scripts;
    private final ConcurrentMap<String, RoomTopic> topics;
    private final PlacedInOrder placed;
    private final BooleanSupplier telling;
    private final String onceWindowMillis;
    private final Predicate<String> recovering;
    private final Consumer<String> olderData;

    /**
     * @param placed hears each event Redis took from this node, in the order appended
     * @param telling whether anyone listens to {@code placed}: appends go without tickets while no one does
     * @param recovering whether a room is not yet checked since a dropped connection: its appends are refused meanwhile
     * @param olderData told of a room whose Redis data is older than this node read (an append was refused by
     *     the fence): it is to be checked
     */
    StreamAppender(RedisLink writer, RoomKeys keys, RoomScripts scripts,
            ConcurrentMap<String, RoomTopic> topics, Broker.PlacedListener placed,
            BooleanSupplier telling, java.time.Duration onceWindow, Predicate<String> recovering,
            Consumer<String> olderData) {
        this.writer = writer;
        this.keys = keys;
        this.scripts = scripts;
        this.topics = topics;
        this.placed = new PlacedInOrder(placed);
        this.telling = telling;
        this.onceWindowMillis = Long.toString(onceWindow.toMillis());
        this.recovering = recovering;
        this.olderData = olderData;
    }

    /**
     * As {@link RedisBroker#publish}. Refused, as not sent, while a dropped connection is not yet
     * checked (on a cluster: one to the room's master): Redis may have come back with older data, and a line placed in it now could take a
     * number the nodes have passed (see {@link EpochHandover#checkRooms}).
     */
    CompletionStage<Void> append(String room, RoomEvent event) {
        if (recovering.test(room)) {
            return refused();
        }
        String[] fields = EventFields.of(event);
        RoomScripts.Fence fence = fence(room);
        return append(room, event, () -> writer.async().<List<Object>>eval(RoomScripts.APPEND, ScriptOutputType.MULTI,
                scripts.keys(room), scripts.args(room, fence, fields)), place -> { });
    }

    /**
     * As {@link RedisBroker#publishOnce}. Refused, as not sent, while a dropped connection is not yet
     * handled: besides the above, Redis may have restarted empty, and until the handover put back the
     * keys of the events read before, a resent line would be placed again.
     */
    CompletionStage<Placement> appendOnce(String room, RoomEvent event, String key) {
        if (recovering.test(room)) {
            return refused();
        }
        String[] fields = EventFields.of(event);
        RoomScripts.Fence fence = fence(room);
        AtomicReference<Placement> answered = new AtomicReference<>();
        return append(room, event, () -> writer.async().<List<Object>>eval(RoomScripts.APPEND_ONCE, ScriptOutputType.MULTI,
                scripts.keys(room, keys.once(room, key)), scripts.args(room, fence, fields[0], fields[1], fields[2], fields[3],
                        key, onceWindowMillis)), answered::set)
                .thenApply(readBack -> answered.get());
    }

    /**
     * Runs a presence script ({@link RoomScripts#ARRIVE}, {@link RoomScripts#DEPART}, {@link RoomScripts#REAP})
     * and waits for its answer: where it appended a join or leave ({@code {seq, ms, epoch, nick}}), that
     * event is told in the order of this node's appends, as a line is.
     *
     * @param eventOf the event appended, from the answer's nick
     * @throws io.lettuce.core.RedisException if Redis does not answer
     */
    List<Object> presence(String room, String script, String[] scriptKeys, String[] args,
            java.util.function.Function<String, RoomEvent> eventOf) {
        List<RedisFuture<List<Object>>> sent = new ArrayList<>(1);
        Runnable send = () -> sent.add(writer.async().eval(script, ScriptOutputType.MULTI, scriptKeys, args));
        long ticket = telling.getAsBoolean() ? placed.send(send) : -1;
        if (ticket < 0) {
            send.run();
        }
        List<Object> answer = null;
        try {
            // Bounded by the client's command timeout; this bound only guards against a client without one.
            answer = io.lettuce.core.LettuceFutures.awaitOrCancel(sent.get(0), 1, java.util.concurrent.TimeUnit.MINUTES);
            return answer;
        } finally {
            if (ticket >= 0) {
                boolean took = answer != null && answer.size() == 4;
                placed.answered(ticket, room, took ? (String) answer.get(2) : "", took ? (Long) answer.get(0) : 0,
                        took ? (Long) answer.get(1) : 0, took ? eventOf.apply((String) answer.get(3)) : null);
            }
        }
    }

    /**
     * Where this node stands in the room, taken as the append is made: Redis must place the event after
     * it. This also holds for an append the Redis client sends again after a dropped connection, into a
     * Redis that may have come back with older data before any node checked the room.
     */
    private RoomScripts.Fence fence(String room) {
        RoomTopic topic = topics.get(room);
        return topic == null ? RoomScripts.Fence.NONE : topic.fence();
    }

    /**
     * How Redis answers a script it did not run: a cluster without the slot's master (CLUSTERDOWN), a
     * slot migrating (TRYAGAIN), a replica still loading (LOADING) or answering as a replica (READONLY,
     * MASTERDOWN); and a Redis at its maxmemory, whose refusal of the script's first write leaves nothing
     * written (OOM). Also Lettuce rejecting a command while disconnected.
     */
    private static final List<String> NOT_RUN = List.of("Currently not connected", "OOM", "CLUSTERDOWN", "TRYAGAIN",
            "LOADING", "READONLY", "MASTERDOWN", RoomScripts.OLDER);

    private static boolean notRun(String message) {
        return NOT_RUN.stream().anyMatch(message::startsWith);
    }

    private static <T> CompletionStage<T> refused() {
        return CompletableFuture.failedStage(new BrokerUnavailableException(
                "Redis is being checked after a dropped connection", null, false));
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
        sent.get(0).whenComplete((placedAt, error) -> {
            boolean repeated = error == null && (Long) placedAt.get(0) < 0;
            if (told >= 0) {
                boolean took = error == null && !repeated;
                placed.answered(told, room, took ? (String) placedAt.get(2) : "", took ? (Long) placedAt.get(0) : 0,
                        took ? (Long) placedAt.get(1) : 0, took ? event : null);
            }
            if (error != null) {
                Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
                // Never placed: rejected while disconnected; refused by Redis before running the script
                // (see NOT_RUN); or at its maxmemory (the script's first write fails, so it wrote nothing).
                // Anything else (the connection broke with the command in flight, or no answer in time):
                // Redis may have taken it.
                String message = String.valueOf(cause.getMessage());
                boolean uncertain = !(cause instanceof RedisException && notRun(message));
                if (message.startsWith(RoomScripts.OLDER)) {
                    olderData.accept(room); // the room is checked before it takes lines again
                }
                log.warn("Could not publish to room {}{}: {}", room, uncertain ? " (unconfirmed)" : "", cause.toString());
                outcome.completeExceptionally(new BrokerUnavailableException("Redis did not take the event", cause,
                        uncertain));
                return;
            }
            String placedIn = repeated ? "" : (String) placedAt.get(2);
            long seq = (Long) placedAt.get(0);
            if (repeated) {
                String first = (String) placedAt.get(1);
                int colon = first.lastIndexOf(':');
                placedIn = first.substring(0, colon);
                seq = Long.parseLong(first.substring(colon + 1));
            }
            answered.accept(new Placement(placedIn, seq, repeated));
            RoomTopic topic = topics.get(room);
            // A repeat placed in an earlier epoch is not read back: numbers of that epoch have passed.
            if (topic == null || (repeated && !placedIn.equals(topic.epoch)) || !topic.awaitReadBack(seq, outcome)) {
                outcome.complete(null);
            }
        });
        return outcome;
    }
}
