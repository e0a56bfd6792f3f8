package io.github.wschat.broker;

import io.github.wschat.Registration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Orders and distributes the events of rooms. The broker is the one place that decides a room's
 * order: every subscriber of a room receives the room's events in the same order, numbered by a
 * sequence that increases by one per event and stamped with the time the event took its place, and
 * events published by one thread are delivered in the
 * order that thread published them.
 *
 * <p>Implementations are thread-safe. Listeners are called one event at a time per room and must
 * not block; an exception from a listener is logged and does not stop delivery to the others.
 */
public interface Broker extends AutoCloseable {

    /**
     * The outcome of a publish that placed its event at once: already complete. Shared, so that a
     * broker that places events on the publishing thread allocates nothing per event; a caller may
     * compare a publish's outcome with it to skip waiting.
     *
     * @return a completed stage
     */
    static CompletionStage<Void> placed() {
        return PlacedOutcome.PLACED;
    }

    /**
     * Subscribes to a room's events from now on.
     *
     * @param room the room name
     * @param listener receives the events
     * @return a registration that unsubscribes
     */
    default Registration subscribe(String room, Listener listener) {
        return subscribe(room, 0, listener);
    }

    /**
     * Subscribes to a room's events: first up to {@code backlog} of the room's most recent events
     * that the broker still holds, oldest first, then every event from now on, with no gap and no
     * duplicate between the two. A broker that holds no events (the in-process one) delivers no
     * backlog.
     *
     * @param room the room name
     * @param backlog how many recent events to deliver first, at most; 0 for none
     * @param listener receives the events; the backlog may be delivered on the calling thread
     * @return a registration that unsubscribes
     * @throws BrokerUnavailableException if a shared broker cannot subscribe now (its store does not
     *     answer in time, or is being recovered); nothing is subscribed then
     */
    Registration subscribe(String room, int backlog, Listener listener);

    /**
     * Publishes an event to every subscriber of the room, in the room's order. The outcome completes
     * once the event has its place in that order (with the in-process broker, before this returns,
     * after every subscriber here received it: the outcome is {@link #placed()}; a shared broker may
     * wait until it is sure every node gets it), or exceptionally if the broker could not place it —
     * then no subscriber anywhere receives it, unless the failure is
     * {@linkplain BrokerUnavailableException#isUncertain uncertain} (the answer was lost or came too
     * late): then every subscriber receives it or none does. Events published by one thread take
     * their places in the order they were published.
     *
     * @param room the room name
     * @param event the event
     * @return the outcome
     */
    CompletionStage<Void> publish(String room, RoomEvent event);

    /**
     * Publishes the event as {@link #publish} does, once per key: if an event with this key took its
     * place in this room within the broker's window (10 minutes by default), the event is not placed
     * again, and the outcome is the first one's place, marked {@linkplain Placement#repeated repeated}.
     * Checking the key and placing the event are one step: of two publishes with one key, on any
     * thread or (for a shared broker) on any node, exactly one places its event. The outcome completes
     * when {@link #publish}'s would, with where the event is; it fails as {@link #publish}'s does, and
     * then the key is not taken, unless the failure is
     * {@linkplain BrokerUnavailableException#isUncertain uncertain}: then a later publish with the key
     * places the event or finds it placed.
     *
     * <p>The server calls this for every line a client gave an id (docs/PROTOCOL.md), with a key
     * made of the sender's identity and the id; it is how a line resent after a reconnect, to any
     * node, is shown once.
     *
     * @param room the room name
     * @param event the event
     * @param key what makes two publishes the same one: 1 to 200 characters
     * @return where the event is, once placed
     * @throws UnsupportedOperationException if the broker cannot place an event once (the default);
     *     a client that gives ids then gets the error {@code unsupported}
     */
    default CompletionStage<Placement> publishOnce(String room, RoomEvent event, String key) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot place an event once per key");
    }

    /**
     * The rule for a key of {@link #publishOnce}, for implementations to check it the same way.
     *
     * @param key the key
     * @return the key, if it has 1 to 200 characters
     * @throws NullPointerException if the key is null
     * @throws IllegalArgumentException if it is empty or longer than 200 characters
     */
    static String requireOnceKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > 200) {
            throw new IllegalArgumentException("a key has 1 to 200 characters: " + key.length());
        }
        return key;
    }

    /**
     * The epoch of a room's order: its sequence numbers count within it, and it changes when the
     * broker lost the room's earlier events (the in-process broker: each time the room is made anew,
     * after it emptied or the server restarted; a shared one: when its store restarted empty). Clients
     * resume after an event by epoch and sequence.
     *
     * @param room the room name
     * @return a short, opaque name of the room's current epoch; empty for a room with no subscriber
     */
    String epoch(String room);

    /**
     * Tells the listener each time the broker becomes unable to place events, and able again: a
     * shared broker whose store is unreachable. The in-process broker always is able, and never calls
     * it. The listener is called on a broker thread and must not block.
     *
     * @param listener gets {@code false} when events cannot be placed, {@code true} when they can again
     * @return a registration that stops the calls
     */
    default Registration onAvailability(Consumer<Boolean> listener) {
        return () -> { };
    }

    /**
     * The nicknames and members across every node, for a broker that several nodes share; empty for
     * one that serves a single node (the server keeps its own).
     *
     * @return the roster, if the broker is shared
     */
    default Optional<Roster> roster() {
        return Optional.empty();
    }

    /**
     * The bans and mutes every node shares, for a broker that several nodes share; empty for one that
     * serves a single node (the server keeps its own).
     *
     * @return the sanctions, if the broker is shared
     */
    default Optional<Sanctions> sanctions() {
        return Optional.empty();
    }

    /**
     * The room's most recent public events that the broker holds (never private lines), oldest first:
     * for an application that asks for a room's history where no member of this node is. The
     * in-process broker holds none.
     *
     * @param room the room
     * @param max how many at most
     * @return the events, oldest first; empty by default
     * @throws BrokerUnavailableException if a shared broker's store cannot answer
     */
    default java.util.List<StoredEvent> recent(String room, int max) {
        return java.util.List.of();
    }

    /**
     * Tells the listener of every event that this node placed — in any room, whether or not this node
     * subscribes to it — once it has its place: for a shared broker, once the store took it. Each event
     * is placed by exactly one node, so listeners on every node together hear each event once. An event
     * whose placement was never confirmed (the store's answer was lost) is not told. The listener is
     * called on a broker thread, in the order the node placed the events, and must not block.
     *
     * @param listener hears the events this node placed
     * @return a registration that stops the calls
     * @throws UnsupportedOperationException if the broker cannot tell (the default)
     */
    default Registration onPlaced(PlacedListener listener) {
        throw new UnsupportedOperationException(getClass().getName() + " does not tell which events it placed");
    }

    /** Releases the broker's resources; subscriptions end. */
    @Override
    void close();

    /** Hears the events one node placed: see {@link #onPlaced}. */
    @FunctionalInterface
    interface PlacedListener {
        /**
         * An event this node placed.
         *
         * @param room the room
         * @param epoch the room's epoch
         * @param sequence the event's position in the room's order
         * @param time when it took its place, in milliseconds since the epoch
         * @param event the event
         */
        void placed(String room, String epoch, long sequence, long time, RoomEvent event);
    }

    /** Receives a room's events. */
    @FunctionalInterface
    interface Listener {
        /**
         * An event of the room, in the room's order.
         *
         * @param sequence the event's position in the room's order, starting at 1
         * @param time when the broker put the event in the room's order, in milliseconds since the
         *     epoch; the same for every subscriber
         * @param event the event
         */
        void onEvent(long sequence, long time, RoomEvent event);
    }
}
