package io.github.wschat.server;

import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires each connection into the chat: admits handshakes whose path names a room, gives the
 * connection a nickname when it opens, turns its messages into room lines, and announces it when it
 * closes.
 */
final class ChatEndpoint implements ConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatEndpoint.class);

    private final Rooms rooms;
    private final NicknameRegistry nicknames;
    private final HandshakePolicy policy;
    private final Supplier<FloodGuard> floodGuards;

    ChatEndpoint(Rooms rooms, NicknameRegistry nicknames, HandshakePolicy policy, Supplier<FloodGuard> floodGuards) {
        this.rooms = rooms;
        this.nicknames = nicknames;
        this.policy = policy;
        this.floodGuards = floodGuards;
    }

    @Override
    public Admission admit(Handshake handshake) {
        return policy.admit(handshake);
    }

    @Override
    public void connected(Connection connection) {
        String roomName = RoomPaths.roomOf(connection.handshake().path()).orElseThrow(
                () -> new IllegalStateException("connection to a path that names no room: " + connection));
        policy.track(connection);
        new Session(connection, roomName);
    }

    /**
     * One connection's part in the chat. Its fields are touched only by the connection's handlers,
     * which run one at a time, each seeing what the one before wrote.
     */
    private final class Session {
        private final Connection connection;
        private final String roomName;
        private final FloodGuard floodGuard = floodGuards.get();
        private Member member;
        private Room room;

        Session(Connection connection, String roomName) {
            this.connection = connection;
            this.roomName = roomName;
            connection.onOpen(this::open);
            connection.onMessage(this::message);
            connection.onClose((code, reason) -> close());
        }

        private void open() {
            member = new Member(connection, nicknames.claimRandom());
            room = rooms.join(roomName, member);
            log.debug("{} joined room {} as {}", connection.id(), roomName, member.nick());
        }

        private void message(String text) {
            switch (floodGuard.check()) {
                case ACCEPT:
                    room.say(member, text);
                    break;
                case REFUSE:
                    connection.send(PlainText.TOO_FAST);
                    break;
                case DISCONNECT:
                    log.info("{} ({}) flooded room {}; closing with 1008", connection.id(), member.nick(), roomName);
                    connection.close(CloseCodes.POLICY_VIOLATION, "flooding: too many lines for too long");
                    break;
                default:
                    throw new IllegalStateException("unknown verdict");
            }
        }

        private void close() {
            if (member == null) {
                return;
            }
            rooms.leave(room, member);
            nicknames.release(member.nick());
            log.debug("{} ({}) left room {}", connection.id(), member.nick(), roomName);
        }
    }
}
