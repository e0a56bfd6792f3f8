package io.github.wschat.server;

import io.github.wschat.presence.ConnectionQuota;
import io.github.wschat.Registration;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.InProcessBroker;
import io.github.wschat.spi.AbstractConnection;
import io.micrometer.core.instrument.FunctionCounter;
import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportOptions;
import io.github.wschat.spi.TransportServer;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/**
 * What a {@link ChatServer} runs: the transport's server, the broker, the rooms and nicknames, the
 * metrics sampler and the broker's availability notices, wired from the {@link ChatSettings} in
 * {@link #start}. Thread-safe; {@link #close} once.
 */
final class ChatRuntime {

    /** What every member is told when the shared broker becomes unreachable, and when it is back. */
    static final String DEGRADED = "the room is degraded: lines cannot be sent until the connection to the other nodes is back.";
    static final String BACK = "the room is back: lines go through again.";

    /** How often, with a meter registry, every member's outbound queue is sampled. */
    static final int OUTBOUND_SAMPLE_SECONDS = 5;
    /** When the first sample is taken: soon, so that a scrape shortly after the start shows queues. */
    static final int FIRST_SAMPLE_SECONDS = 1;

    final TransportServer transportServer;
    final String transportName;
    final Rooms rooms;
    final NicknameRegistry nicknames;
    private final Broker broker;
    private final boolean ownsBroker;
    private final Optional<ScheduledExecutorService> sampler;
    private final Registration availability;
    private final ExecutorService moderationThread;
    final Bots bots;
    private final Listeners listeners;
    private final Registration placed;
    final ServerHistory history;

    private ChatRuntime(TransportServer transportServer, String transportName, Broker broker, boolean ownsBroker,
            Rooms rooms, NicknameRegistry nicknames, ChatMetrics metrics, Registration availability,
            ExecutorService moderationThread, Bots bots, Listeners listeners, Registration placed,
            ServerHistory history) {
        this.history = history;
        this.moderationThread = moderationThread;
        this.listeners = listeners;
        this.placed = placed;
        this.bots = bots;
        this.transportServer = transportServer;
        this.transportName = transportName;
        this.broker = broker;
        this.ownsBroker = ownsBroker;
        this.rooms = rooms;
        this.nicknames = nicknames;
        this.availability = availability;
        this.sampler = metrics.samplesOutbound() ? Optional.of(sampleOutbound(rooms, metrics)) : Optional.empty();
    }

    /** Wires the chat from its settings and starts the transport; a broker made here is closed on failure. */
    static ChatRuntime start(Transport transport, TransportOptions options, ChatSettings settings) throws IOException {
        boolean ownsBroker = settings.broker() == null;
        Broker broker = ownsBroker ? new InProcessBroker() : settings.broker();
        // Moderation's writes to a shared store, and the expiries of members' credentials.
        ScheduledExecutorService moderationThread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wschat-moderation");
            thread.setDaemon(true);
            return thread;
        });
        Bots bots = null;
        Listeners listeners = null;
        ServerHistory kept = new ServerHistory(settings.historyStore(), settings.historyRetention(), settings.eventSinks());
        Registration placed = () -> { };
        try {
            NicknameRegistry nicknames = new NicknameRegistry(bound -> ThreadLocalRandom.current().nextInt(bound),
                    broker.roster());
            ChatMetrics metrics = ChatMetrics.NONE;
            Moderation moderation = broker.sanctions().map(shared -> new Moderation(shared, moderationThread))
                    .orElseGet(Moderation::local);
            if (!settings.hooks().listeners().isEmpty()) {
                listeners = new Listeners(settings.hooks().listeners());
                try {
                    placed = broker.onPlaced(listeners::placed);
                } catch (UnsupportedOperationException e) {
                    throw new IllegalStateException("listeners need a broker that tells which events this node placed: "
                            + e.getMessage(), e);
                }
            }
            Rooms rooms;
            HistoryBudget history = new HistoryBudget(settings.historySize(), settings.historyBytes(),
                    settings.historyBytesTotal());
            if (settings.meterRegistry() == null) {
                rooms = new Rooms(broker, history, metrics, moderation, settings.leaveGrace(), moderationThread);
            } else {
                AtomicReference<Rooms> counted = new AtomicReference<>();
                MicrometerChatMetrics meters = new MicrometerChatMetrics(transport.name(), () -> counted.get().count(),
                        nicknames::size);
                rooms = new Rooms(broker, history, meters, moderation, settings.leaveGrace(), moderationThread);
                if (listeners != null) {
                    FunctionCounter.builder("wschat.listener.skipped", listeners, Listeners::skipped)
                            .tag("transport", transport.name())
                            .description("placed events skipped for a listener that fell behind")
                            .register(settings.meterRegistry());
                }
                kept.writer().ifPresent(writer -> {
                    io.micrometer.core.instrument.Gauge.builder("wschat.history.lag", writer, w -> w.lag().toNanos() / 1e9)
                            .tag("transport", transport.name()).baseUnit("seconds")
                            .description("how far the history store is behind: the age of the oldest event not yet written")
                            .register(settings.meterRegistry());
                    FunctionCounter.builder("wschat.history.written", writer, HistoryWriter::written)
                            .tag("transport", transport.name()).description("events written to the history store")
                            .register(settings.meterRegistry());
                    FunctionCounter.builder("wschat.history.dropped", writer, HistoryWriter::dropped)
                            .tag("transport", transport.name())
                            .description("events dropped for the history store: it was too far behind")
                            .register(settings.meterRegistry());
                });
                kept.sinks().forEach((name, writer) -> {
                    io.micrometer.core.instrument.Gauge.builder("wschat.sink.lag", writer, w -> w.lag().toNanos() / 1e9)
                            .tag("sink", name).baseUnit("seconds")
                            .description("how far an event sink is behind: the age of the oldest event it has not taken")
                            .register(settings.meterRegistry());
                    FunctionCounter.builder("wschat.sink.written", writer, HistoryWriter::written).tag("sink", name)
                            .description("events an event sink took").register(settings.meterRegistry());
                    FunctionCounter.builder("wschat.sink.dropped", writer, HistoryWriter::dropped).tag("sink", name)
                            .description("events dropped for an event sink: it was too far behind")
                            .register(settings.meterRegistry());
                });
                counted.set(rooms);
                meters.bindTo(settings.meterRegistry());
                metrics = meters;
            }
            HandshakePolicy policy = new HandshakePolicy(settings.paths(), settings.allowedOrigins(),
                    settings.maxConnections(), settings.maxConnectionsPerAddress());
            Rooms told = rooms;
            Registration availability = broker.onAvailability(available -> told.forEachDevice(device ->
                    device.connection().send(device.format().status(available, available ? BACK : DEGRADED))));
            told.keepIn(kept);
            SessionContext chat = new SessionContext(rooms, nicknames,
                    () -> new FloodGuard(settings.ratePerSecond(), settings.rateBurst(), System::nanoTime),
                    settings.announceJoins(), settings.hooks().lineFilters(), moderation, settings.operatorRole(), metrics,
                    new Credentials(settings.authenticator(), moderationThread), kept);
            ChatEndpoint endpoint = new ChatEndpoint(chat, policy, settings.authenticator(), settings.hooks().joins(),
                    settings.hooks().asyncJoinChain(), settings.maxRooms(), settings.wireFormats(),
                    new ConnectionQuota(settings.maxConnectionsPerIdentity()));
            TransportServer server = transport.start(options, endpoint);
            bots = new Bots(endpoint, nicknames, options.maxQueuedBytes());
            return new ChatRuntime(server, transport.name(), broker, ownsBroker, rooms, nicknames, metrics, availability,
                    moderationThread, bots, listeners, placed, kept);
        } catch (IOException | RuntimeException e) {
            kept.close();
            moderationThread.shutdownNow();
            placed.remove();
            if (bots != null) {
                bots.close();
            }
            if (listeners != null) {
                listeners.close();
            }
            if (ownsBroker) {
                broker.close();
            }
            throw e;
        }
    }

    /** Samples every device's outbound queue now and then, on a thread of its own. */
    private static ScheduledExecutorService sampleOutbound(Rooms rooms, ChatMetrics metrics) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wschat-metrics");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> rooms.forEachDevice(device -> {
            if (device.connection() instanceof AbstractConnection connection) {
                long queued = connection.queuedBytes();
                if (queued >= 0) {
                    metrics.outboundQueued(queued);
                }
            }
        }), FIRST_SAMPLE_SECONDS, OUTBOUND_SAMPLE_SECONDS, TimeUnit.SECONDS);
        return timer;
    }

    /**
     * Waits (5 s at most) until the timer thread has run what it was handed so far — the rest of a
     * burst of leaves, say — but not the timers still to come (a leave grace ends later).
     */
    private static void settle(ExecutorService thread) {
        try {
            thread.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LoggerFactory.getLogger(ChatRuntime.class).debug("The timer thread did not settle before closing: {}",
                    e.toString());
        }
    }

    /** Stops sampling and notices, closes the transport's server, then a broker made here. */
    void close() {
        sampler.ifPresent(ScheduledExecutorService::shutdownNow);
        availability.remove();
        bots.close();
        try {
            transportServer.close();
        } finally {
            settle(moderationThread); // the leaves of a burst handed to it, placed before the history closes
            history.close(); // what the rooms delivered until now, written
            moderationThread.shutdown();
            placed.remove();
            if (listeners != null) {
                listeners.close();
            }
            if (ownsBroker) {
                broker.close();
            }
        }
    }
}
