package io.github.wschat.client;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's connection to the room and everything that follows from it: connecting to one URI after
 * another, resuming after the last event delivered, sending the outbox again on each new connection,
 * reconnecting with jittered exponential backoff. Every method runs on the client's one thread
 * ({@code loop}), so its state needs no lock; the WebSocket's callbacks hand over to it.
 */
final class ClientEngine {

    private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
    /** HTTP statuses and close codes after which trying again cannot help. */
    private static final Set<Integer> FOR_GOOD = Set.of(400, 401, 403, 404, 4001, 4003, 4400, 4403, 4404);

    private final ClientSettings settings;
    private final ScheduledExecutorService loop;
    private final Frames frames = new Frames();
    private final Outbox outbox;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private WebSocket socket;
    /** Counts connections: callbacks of an older one are ignored. */
    private int generation;
    private boolean welcomed;
    /** {@code welcomed}, for other threads. */
    private volatile boolean welcomedVolatile;
    private boolean closing;
    private int attempt;
    private int uriIndex;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    /** When the current connection last brought anything (a frame, a pong), in nanoTime. */
    private long lastHeard;
    private ScheduledFuture<?> keepAlive;
    private volatile String nick;
    private String lastEpoch;
    private long lastSeq;

    ClientEngine(ClientSettings settings, ScheduledExecutorService loop) {
        this.settings = settings;
        this.loop = loop;
        this.outbox = new Outbox(settings.maxPending());
        this.nick = settings.nick();
    }

    String nick() {
        return nick;
    }

    CompletionStage<Void> ready() {
        return ready;
    }

    boolean isConnected() {
        return !ended.isDone() && welcomedVolatile;
    }

    void start() {
        loop.execute(this::connect);
    }

    /** Takes a send: sent now if connected, else on the next connection; answered through its stage. */
    void submit(Outbox.Pending send) {
        try {
            loop.execute(() -> {
                if (closing) {
                    send.fail(new IllegalStateException("the client is closed"));
                    return;
                }
                if (outbox.add(send) && welcomed) {
                    transmit(send.frame);
                }
            });
        } catch (RejectedExecutionException e) { // the client's thread has stopped
            send.fail(new IllegalStateException("the client is closed"));
        }
    }

    private void connect() {
        if (closing) {
            return;
        }
        URI base = settings.uris().get(Math.floorMod(uriIndex, settings.uris().size()));
        URI target = ResumeUri.of(base, nick, lastEpoch, lastSeq);
        int connection = ++generation;
        log.debug("Connecting to {}:{}{}", base.getHost(), base.getPort(), base.getPath()); // no query: it may hold a token
        settings.httpClient().newWebSocketBuilder()
                .subprotocols(Frames.SUBPROTOCOL)
                .connectTimeout(settings.connectTimeout())
                .buildAsync(target, new Link(this, connection))
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        onLoop(() -> failedToConnect(connection, error));
                    }
                });
    }

    private void failedToConnect(int connection, Throwable error) {
        if (connection != generation) {
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        int status = cause instanceof WebSocketHandshakeException refused ? refused.getResponse().statusCode() : 1006;
        lost(status, status == 1006 ? String.valueOf(cause.getMessage()) : "handshake refused with HTTP " + status);
    }

    void opened(int connection, WebSocket ws) {
        if (connection != generation || closing) {
            ws.abort();
            return;
        }
        socket = ws;
        sending = CompletableFuture.completedFuture(null);
        lastHeard = System.nanoTime();
        long every = settings.pingInterval().toMillis();
        if (every > 0) {
            keepAlive = loop.scheduleWithFixedDelay(() -> checkAlive(connection), every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A connection can die without a word (a network that drops packets, a NAT that forgot it, or a
     * close the JDK's WebSocket does not report): after an interval of silence the client pings, and
     * after two it takes the connection as lost.
     */
    private void checkAlive(int connection) {
        if (connection != generation || socket == null) {
            return;
        }
        long silent = System.nanoTime() - lastHeard;
        long interval = settings.pingInterval().toNanos();
        if (silent > 2 * interval) {
            lost(1006, "the server answered no ping for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms");
        } else if (silent > interval) {
            WebSocket ws = socket;
            sending = sending.handle((done, error) -> null)
                    .thenCompose(ignored -> ws.sendPing(java.nio.ByteBuffer.allocate(0)))
                    .exceptionally(error -> null);
        }
    }

    void heard(int connection) {
        if (connection == generation) {
            lastHeard = System.nanoTime();
        }
    }

    void received(int connection, String frame) {
        if (connection != generation) {
            return;
        }
        lastHeard = System.nanoTime();
        Frames.Incoming incoming = frames.read(frame);
        if (incoming instanceof Frames.Welcome welcome) {
            welcome(welcome);
        } else if (incoming instanceof Frames.Event event) {
            if (event.event() instanceof ChatEvent.Placed placed) {
                deliver(placed);
            } else {
                emit(event.event());
            }
        } else if (incoming instanceof Frames.Acked acked) {
            outbox.acked(acked.id(), acked.ack());
        } else if (incoming instanceof Frames.MembersOf members) {
            outbox.members(members.id(), members.members());
        } else if (incoming instanceof Frames.Refused refused) {
            refused(refused);
        } else {
            log.debug("Ignored a frame this client cannot read: {}", frame);
        }
    }

    private void welcome(Frames.Welcome welcome) {
        boolean resumed = lastEpoch != null;
        nick = welcome.nick();
        emit(new ChatEvent.Connected(welcome.nick(), welcome.room(), welcome.members(), welcome.roles(), welcome.epoch(),
                resumed));
        if (resumed && (Boolean.TRUE.equals(welcome.missed()) || !welcome.epoch().equals(lastEpoch))) {
            emit(new ChatEvent.Gap(lastEpoch, lastSeq, welcome.epoch()));
        }
        welcome.history().forEach(this::deliver);
        if (lastEpoch == null || !lastEpoch.equals(welcome.epoch())) {
            lastEpoch = welcome.epoch();
            lastSeq = 0;
        }
        welcomed = true;
        welcomedVolatile = true;
        attempt = 0;
        ready.complete(null);
        for (Outbox.Pending send : outbox.waiting()) {
            transmit(send.frame);
        }
    }

    /** A room event, unless it was delivered before (same epoch, not after the last). */
    private void deliver(ChatEvent.Placed event) {
        if (event.epoch().equals(lastEpoch) && event.seq() <= lastSeq) {
            return;
        }
        lastEpoch = event.epoch();
        lastSeq = event.seq();
        if (event instanceof ChatEvent.Renamed renamed && renamed.from().equalsIgnoreCase(nick)) {
            nick = renamed.to();
        }
        emit(event);
    }

    private void refused(Frames.Refused refused) {
        if (!"unavailable".equals(refused.code())) {
            outbox.refused(refused.id(), new ChatRefusedException(refused.code(), refused.text()));
            return;
        }
        // The room could not take it (or did not confirm it): send it again with its id once the room
        // is back; the server places it, or answers with where it was placed.
        Outbox.Pending send = outbox.get(refused.id());
        int connection = generation;
        if (send != null) {
            loop.schedule(() -> {
                if (connection == generation && welcomed && outbox.get(send.id) == send) {
                    transmit(send.frame);
                }
            }, backoff(1).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void transmit(String frame) {
        WebSocket ws = socket;
        int connection = generation;
        sending = sending.handle((done, error) -> null)
                .thenCompose(ignored -> ws.sendText(frame, true))
                .exceptionally(error -> {
                    log.debug("A send failed; it goes again on the next connection: {}", error.toString());
                    onLoop(() -> closedByServer(connection, 1006, "a send failed: " + error.getMessage()));
                    return null;
                });
    }

    void closedByServer(int connection, int code, String reason) {
        if (connection == generation) {
            lost(code, reason);
        }
    }

    /** The connection ended or could not be made: reconnect, unless it was for good. */
    private void lost(int code, String reason) {
        WebSocket was = socket;
        socket = null;
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
        welcomed = false;
        welcomedVolatile = false;
        generation++;
        if (was != null) {
            was.abort();
        }
        boolean again = !closing && !FOR_GOOD.contains(code);
        emit(new ChatEvent.Disconnected(code, reason, again));
        if (!again) {
            end(new IllegalStateException("the client stopped (" + code + " " + reason
                    + ") before the server answered this send; it may or may not have been placed"));
            return;
        }
        uriIndex++;
        long delay = backoff(attempt++).toMillis();
        log.debug("Connection lost ({} {}); reconnecting in {} ms", code, reason, delay);
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The delay before attempt n: the initial delay doubled n times, at most the maximum, times 0.5–1. */
    java.time.Duration backoff(int n) {
        double full = Math.min(settings.maxBackoff().toMillis(),
                settings.initialBackoff().toMillis() * Math.pow(2, Math.min(n, 30)));
        return java.time.Duration.ofMillis((long) (full * (0.5 + ThreadLocalRandom.current().nextDouble() / 2)));
    }

    private void end(Throwable pendingError) {
        closing = true;
        outbox.failAll(pendingError);
        ready.completeExceptionally(pendingError);
        ended.complete(null);
    }

    /** Leaves: a close frame (1000), waits for the server's answer at most {@code wait}, then stops. */
    CompletableFuture<Void> close(java.time.Duration wait) {
        onLoop(() -> {
            if (closing) {
                return;
            }
            closing = true;
            WebSocket ws = socket;
            if (ws == null || !welcomed) {
                lost(1000, "closed by the client");
                return;
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            loop.schedule(() -> {
                if (!ended.isDone()) {
                    lost(1000, "closed by the client (no answer from the server)");
                }
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        });
        return ended;
    }

    /** Runs the task on the client's thread; once that has stopped (closed), drops it. */
    void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.trace("The client is closed; dropped a task");
        }
    }

    private void emit(ChatEvent event) {
        try {
            settings.listener().accept(event);
        } catch (RuntimeException e) {
            log.warn("The chat client's listener threw on {}", event, e);
        }
    }
}
