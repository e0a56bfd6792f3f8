package io.github.wschat.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A member of one wschat room, over the JSON protocol, on the JDK's {@link java.net.http.WebSocket}.
 *
 * <p><b>Sends are exactly once.</b> {@link #say}, {@link #act}, {@link #msg} and {@link #rename} return
 * at once with a stage that completes with the {@link Ack} — the epoch and sequence at which the line
 * took its place — or fails with a {@link ChatRefusedException} (the server refused it: it reached no
 * one). Each send carries an id; a send not yet answered when the connection breaks is sent again with
 * its id on the next connection, to the same node or another, and the server places it once (see
 * docs/PROTOCOL.md). Sends made while disconnected wait, at most {@link Builder#maxPending} of them.
 *
 * <p><b>Events are exactly once.</b> The listener gets the room's events in the room's order. After a
 * reconnect the client resumes after the last event it delivered ({@code ?since=}), so no event comes
 * twice; where the server no longer holds what was missed, a {@link ChatEvent.Gap} says so.
 *
 * <p><b>Reconnects.</b> A broken connection, or one that could not be made, is tried again after a
 * jittered exponential backoff ({@link Builder#backoff}), on the next URI of the list each time. It stops
 * after {@link #close()}, when the server removes or bans this member (close 4001, 4003), or refuses the
 * handshake for good (HTTP 400, 401, 403, 404) or a join hook keeps it out (close 4400, 4403, 4404): then
 * the waiting sends fail.
 *
 * <p><b>Threads.</b> The client has one thread of its own. The listener is called on it, one event at a
 * time, and must not block; a listener that throws is logged and the client goes on. The stages of the
 * sends complete on it too. Every method may be called from any thread.
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder(URI.create("ws://localhost:12345/chat/lobby"))
 *         .nick("ann")
 *         .listener(event -> {
 *             if (event instanceof ChatEvent.Message m) {
 *                 System.out.println(m.from() + ": " + m.text());
 *             }
 *         })
 *         .connect();
 * client.say("hello").thenAccept(ack -> System.out.println("placed at " + ack.sequence()));
 * }</pre>
 */
public final class ChatClient implements AutoCloseable {

    private final ClientEngine engine;
    private final ScheduledExecutorService loop;
    private final Frames frames = new Frames();
    private final String idPrefix;
    private long nextId;

    private ChatClient(ClientSettings settings) {
        this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        this.loop = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wschat-client-" + idPrefix);
            thread.setDaemon(true);
            return thread;
        });
        this.engine = new ClientEngine(settings, loop);
    }

    /**
     * A builder for a client of the room at these URIs: the first is tried first, the others in turn
     * when a connection breaks or cannot be made (several nodes of one chat).
     *
     * @param first e.g. {@code ws://chat.example.com/chat/lobby}; may hold a query, e.g. {@code ?token=…}
     * @param others other nodes' URIs of the same room
     * @return the builder
     */
    public static Builder builder(URI first, URI... others) {
        List<URI> uris = new ArrayList<>();
        uris.add(Objects.requireNonNull(first, "first"));
        for (URI other : others) {
            uris.add(Objects.requireNonNull(other, "other"));
        }
        return new Builder(uris);
    }

    /**
     * Says a line to the room.
     *
     * @param text one line: no line breaks
     * @return the acknowledgement, or a {@link ChatRefusedException}
     * @throws IllegalArgumentException if the text is empty or holds a line break
     */
    public CompletionStage<Ack> say(String text) {
        return line("say", "text", oneLine(text));
    }

    /**
     * Does something ({@code /me}).
     *
     * @param text one line: no line breaks
     * @return the acknowledgement, or a {@link ChatRefusedException}
     * @throws IllegalArgumentException if the text is empty or holds a line break
     */
    public CompletionStage<Ack> act(String text) {
        return line("me", "text", oneLine(text));
    }

    /**
     * Says a line to one member of the room only.
     *
     * @param to the member's nickname
     * @param text one line: no line breaks
     * @return the acknowledgement, or a {@link ChatRefusedException} ({@code no_such_member} …)
     * @throws IllegalArgumentException if the text is empty or holds a line break
     */
    public CompletionStage<Ack> msg(String to, String text) {
        Objects.requireNonNull(to, "to");
        return line("msg", "to", to, "text", oneLine(text));
    }

    /**
     * Changes this client's nickname; reconnects use the new one.
     *
     * @param nick the new nickname
     * @return the acknowledgement ({@link Ack#NOTHING_PLACED} for the name the client has), or a
     *     {@link ChatRefusedException} ({@code nickname_taken}, {@code invalid_nickname})
     */
    public CompletionStage<Ack> rename(String nick) {
        return line("nick", "name", Objects.requireNonNull(nick, "nick"));
    }

    /**
     * Asks who is in the room.
     *
     * @return the members' nicknames
     */
    public CompletionStage<List<String>> who() {
        CompletableFuture<List<String>> members = new CompletableFuture<>();
        String id = nextId();
        engine.submit(new Outbox.Pending(id, frames.command("who", id), null, members));
        return members;
    }

    private CompletionStage<Ack> line(String type, String... fields) {
        CompletableFuture<Ack> acked = new CompletableFuture<>();
        String id = nextId();
        engine.submit(new Outbox.Pending(id, frames.command(type, id, fields), acked, null));
        return acked;
    }

    private synchronized String nextId() {
        return idPrefix + "-" + nextId++;
    }

    private static String oneLine(String text) {
        if (text.isEmpty() || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("one line per send: not empty, no line breaks");
        }
        return text;
    }

    /**
     * @return the nickname this client has now (the one it asked for until the server said another)
     */
    public String nick() {
        return engine.nick();
    }

    /**
     * @return whether the client is in the room now (connected and welcomed)
     */
    public boolean isConnected() {
        return engine.isConnected();
    }

    /**
     * @return completes when the client first joined the room; fails if it stopped before
     */
    public CompletionStage<Void> ready() {
        return engine.ready();
    }

    /**
     * Leaves the room: sends a close (1000) and waits for the server's answer, at most 5 seconds. Sends
     * not yet answered fail. Idempotent.
     */
    @Override
    public void close() {
        if (loop.isShutdown()) {
            return;
        }
        try {
            engine.close(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            // stopped anyway below
        } finally {
            loop.shutdown();
        }
    }

    /** Configures and connects a {@link ChatClient}. Not thread-safe. */
    public static final class Builder {
        private final List<URI> uris;
        private String nick;
        private BiConsumer<ChatClient, ChatEvent> listener = (client, event) -> { };
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private int maxPending = 1_000;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(15);
        private HttpClient httpClient;

        private Builder(List<URI> uris) {
            this.uris = List.copyOf(uris);
        }

        /**
         * @param nick the nickname to ask for ({@code ?nick=}); default none: the server picks one.
         *     Either way the client keeps the one it got across reconnects.
         * @return this builder
         */
        public Builder nick(String nick) {
            this.nick = Objects.requireNonNull(nick, "nick");
            return this;
        }

        /**
         * @param listener gets every event, on the client's thread, one at a time; must not block
         * @return this builder
         */
        public Builder listener(Consumer<ChatEvent> listener) {
            Objects.requireNonNull(listener, "listener");
            this.listener = (client, event) -> listener.accept(event);
            return this;
        }

        /**
         * As {@link #listener(Consumer)}, with the client as the first argument: for a bot that
         * answers what it reads. Replaces the listener.
         *
         * @param listener gets the client and every event, on the client's thread, one at a time; must
         *     not block
         * @return this builder
         */
        public Builder onEvent(BiConsumer<ChatClient, ChatEvent> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The reconnect delay: {@code initial} doubled after each failed attempt, at most {@code max},
         * each time times a random factor between 0.5 and 1 so that many clients do not come back at
         * once. Default 250 ms to 30 s.
         *
         * @param initial the first delay, positive
         * @param max the longest, at least {@code initial}
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isZero() || initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * @param max how many sends may wait for their answer at once (while disconnected, they all
         *     wait); one more fails at once with a {@link java.util.concurrent.RejectedExecutionException}.
         *     Default 1,000.
         * @return this builder
         */
        public Builder maxPending(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPending must be positive: " + max);
            }
            this.maxPending = max;
            return this;
        }

        /**
         * @param timeout how long one connection attempt may take; default 10 s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param interval how long the connection may be silent before the client pings the server;
         *     after twice as long without an answer it takes the connection as lost and reconnects
         *     (a network can drop a connection without a word). Default 15 s; zero turns it off.
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("negative ping interval: " + interval);
            }
            this.pingInterval = interval;
            return this;
        }

        /**
         * @param client the HTTP client to open WebSockets with (for TLS settings, a proxy, an
         *     executor); default a new one
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Starts connecting and returns at once; {@link ChatClient#ready()} completes on joining.
         *
         * @return the client
         */
        public ChatClient connect() {
            HttpClient http = httpClient != null ? httpClient : HttpClient.newHttpClient();
            BiConsumer<ChatClient, ChatEvent> told = listener;
            AtomicReference<ChatClient> self = new AtomicReference<>();
            ChatClient client = new ChatClient(new ClientSettings(uris, nick, event -> told.accept(self.get(), event),
                    initialBackoff, maxBackoff, maxPending, connectTimeout, pingInterval, http));
            self.set(client);
            client.engine.start();
            return client;
        }
    }
}
