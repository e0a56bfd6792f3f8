package io.github.wschat.server;

import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.app.Identity;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The server's bots: members without a socket, joined by the application through a room's handle.
 * Their handlers run on a pool of their own threads; the server closes them (1001) when it stops.
 * Thread-safe.
 */
final class Bots {

    private final ChatEndpoint endpoint;
    private final NicknameRegistry nicknames;
    private final long budget;
    private final ExecutorService pool = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "wschat-bot");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();

    Bots(ChatEndpoint endpoint, NicknameRegistry nicknames, long budget) {
        this.endpoint = endpoint;
        this.nicknames = nicknames;
        this.budget = budget;
    }

    /** As {@link io.github.wschat.app.RoomHandle#bot}. */
    Connection join(String room, String nick, String subprotocol, Consumer<Connection> setup) {
        Objects.requireNonNull(setup, "setup");
        NicknameRegistry.requireValid(nick);
        if (!endpoint.speaks(subprotocol)) {
            throw new IllegalArgumentException("no wire format for subprotocol '" + subprotocol + "'");
        }
        try {
            if (nicknames.isTaken(nick)) {
                throw new IllegalStateException("nickname in use: " + nick);
            }
        } catch (BrokerUnavailableException e) {
            throw new IllegalStateException(Session.UNAVAILABLE, e);
        }
        Identity identity = Identity.of("bot:" + nick, "bot");
        Connection bot = BotLink.open("bot-" + ids.incrementAndGet(), "/chat/" + room, subprotocol, budget, pool,
                app -> {
                    app.onClose((code, reason) -> live.remove(app));
                    setup.accept(app);
                }, new ConnectionHandler() {
                    @Override
                    public Admission admit(Handshake handshake) {
                        return Admission.accept(subprotocol);
                    }

                    @Override
                    public void connected(Connection connection) {
                        endpoint.connectBot(connection, room, nick, identity);
                    }
                });
        if (bot.isOpen()) {
            live.add(bot);
        }
        return bot;
    }

    /** Closes every bot (1001) and ends their threads once their last events ran. */
    void close() {
        for (Connection bot : live) {
            bot.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        pool.shutdown();
    }
}
