package io.github.wschat.server;

import com.google.common.collect.MapMaker;
import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
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
    private final HandshakeAuthenticator authenticator;
    private final int maxRooms;
    private final Supplier<FloodGuard> floodGuards;
    // Nicknames fixed by the authenticator, from admit() to connected(). A transport hands
    // connected() the very Handshake it gave admit(); weak identity keys let go of handshakes that
    // never complete.
    private final ConcurrentMap<Handshake, String> fixedNicknames = new MapMaker().weakKeys().makeMap();

    ChatEndpoint(Rooms rooms, NicknameRegistry nicknames, HandshakePolicy policy, HandshakeAuthenticator authenticator,
            int maxRooms, Supplier<FloodGuard> floodGuards) {
        this.rooms = rooms;
        this.nicknames = nicknames;
        this.policy = policy;
        this.authenticator = authenticator;
        this.maxRooms = maxRooms;
        this.floodGuards = floodGuards;
    }

    @Override
    public Admission admit(Handshake handshake) {
        Admission admission = policy.admit(handshake);
        if (!admission.accepted()) {
            return admission;
        }
        String roomName = RoomPaths.roomOf(handshake.path()).orElseThrow();
        if (!rooms.exists(roomName) && rooms.count() >= maxRooms) {
            return Admission.refuse(503, "too many rooms: " + maxRooms + "; join an existing one");
        }
        Authentication authentication = Objects.requireNonNull(authenticator.authenticate(handshake),
                "the authenticator returned null");
        if (!authentication.accepted()) {
            return Admission.refuse(authentication.status(), authentication.reason());
        }
        if (authentication.nickname().isPresent()) {
            String nick = authentication.nickname().get();
            if (nicknames.isTaken(nick)) {
                return Admission.refuse(409, "nickname in use: " + nick);
            }
            fixedNicknames.put(handshake, nick);
        }
        return admission;
    }

    @Override
    public void connected(Connection connection) {
        String roomName = RoomPaths.roomOf(connection.handshake().path()).orElseThrow(
                () -> new IllegalStateException("connection to a path that names no room: " + connection));
        policy.track(connection);
        new Session(connection, roomName, fixedNicknames.remove(connection.handshake()));
    }

    /**
     * One connection's part in the chat. Its fields are touched only by the connection's handlers,
     * which run one at a time, each seeing what the one before wrote.
     */
    private final class Session {
        private final Connection connection;
        private final String roomName;
        private final FloodGuard floodGuard = floodGuards.get();
        private final String fixedNick;
        private Member member;
        private Room room;

        Session(Connection connection, String roomName, String fixedNick) {
            this.connection = connection;
            this.roomName = roomName;
            this.fixedNick = fixedNick;
            connection.onOpen(this::open);
            connection.onMessage(this::message);
            connection.onClose((code, reason) -> close());
        }

        private void open() {
            String nick;
            if (fixedNick == null) {
                nick = nicknames.claimRandom();
            } else if (nicknames.claim(fixedNick)) {
                nick = fixedNick;
            } else {
                connection.close(CloseCodes.POLICY_VIOLATION, "nickname in use: " + fixedNick);
                return;
            }
            member = new Member(connection, nick);
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
