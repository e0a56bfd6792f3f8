package io.github.wschat.server;

import com.google.common.base.Utf8;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.spi.AbstractConnection;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A bot's two ends, in process: the room's end is a member's connection like any other; the
 * application's end gets, on a thread of its own, what the room sends, and says what it sends. A bot
 * that is slow or throws never holds up the room: what the room sends is queued, up to the outbound
 * budget (past it the bot is closed with 1008, as a slow reader), and delivered to the application's
 * handlers on the bots' pool, one at a time, in order.
 */
final class BotLink {

    private final RoomEnd room;
    private final AppEnd app;
    private final long budget;
    private final AtomicLong queued = new AtomicLong();

    private BotLink(String id, String path, String subprotocol, long budget, Executor pool) {
        Handshake handshake = new Handshake(path, "", Map.of(), InetSocketAddress.createUnresolved("bot", 0));
        this.budget = budget;
        this.room = new RoomEnd(id, handshake, subprotocol);
        this.app = new AppEnd(id, handshake, subprotocol, MoreExecutors.newSequentialExecutor(pool));
    }

    /**
     * Links a bot: {@code setup} registers the application's handlers, then {@code handler} takes the
     * room's end (the bot joins), then both ends open.
     */
    static Connection open(String id, String path, String subprotocol, long budget, Executor pool,
            Consumer<Connection> setup, ConnectionHandler handler) {
        BotLink link = new BotLink(id, path, subprotocol, budget, pool);
        setup.accept(link.app);
        link.app.open();
        link.room.open(handler);
        return link.app;
    }

    /** Where the room sends: the bot's member connection. */
    private final class RoomEnd extends AbstractConnection {
        RoomEnd(String id, Handshake handshake, String subprotocol) {
            super(id, handshake, subprotocol);
        }

        void open(ConnectionHandler handler) {
            handOver(handler);
        }

        /** What the application's end said. */
        void said(String text) {
            fireMessage(text);
        }

        void ended(int code, String reason) {
            fireClose(code, reason);
        }

        @Override
        protected boolean sendText(String text) {
            long bytes = Utf8.encodedLength(text);
            if (queued.addAndGet(bytes) > budget) {
                close(CloseCodes.POLICY_VIOLATION, "too slow: the bot did not keep up");
                return false;
            }
            app.deliver(text, bytes);
            return true;
        }

        @Override
        protected void sendClose(int code, String reason) {
            fireClose(code, reason);
            app.ended(code, reason);
        }

        @Override
        protected long measureQueuedBytes() {
            return queued.get();
        }
    }

    /** The application's end: its handlers run on the bots' pool, one at a time. */
    private final class AppEnd extends AbstractConnection {
        private final Executor serial;

        AppEnd(String id, Handshake handshake, String subprotocol, Executor serial) {
            super(id, handshake, subprotocol);
            this.serial = serial;
        }

        void open() {
            handOver(new ConnectionHandler() {
                @Override
                public Admission admit(Handshake handshake) {
                    return Admission.accept();
                }

                @Override
                public void connected(Connection connection) {
                }
            });
        }

        void deliver(String text, long bytes) {
            serial.execute(() -> {
                queued.addAndGet(-bytes);
                fireMessage(text);
            });
        }

        void ended(int code, String reason) {
            serial.execute(() -> fireClose(code, reason));
        }

        @Override
        protected boolean sendText(String text) {
            room.said(text);
            return true;
        }

        @Override
        protected void sendClose(int code, String reason) {
            room.ended(code, reason);
            serial.execute(() -> fireClose(code, reason));
        }
    }
}
