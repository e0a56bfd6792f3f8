package io.github.wschat.server;

import com.google.common.collect.MapMaker;
import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.Handshake;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Roster;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.protocol.ChatError;
import io.github.wschat.protocol.ClientCommand;
import io.github.wschat.protocol.WireFormat;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires each connection into the chat: admits handshakes (path, limits, authenticator, nickname,
 * wire format), gives the connection its nickname and room when it opens, carries out its commands,
 * and announces it when it closes.
 */
final class ChatEndpoint implements ConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatEndpoint.class);
    static final String TOO_FAST = "too fast: that line was not sent; wait a moment.";
    static final String UNAVAILABLE = "the chat is unavailable; try again in a moment";
    static final String UNCONFIRMED = "the room did not confirm that line: the connection broke as it was sent; "
            + "the others got it or none did.";
    static final String NOT_SENT = "the room is unavailable: that line was not sent; try again in a moment.";
    private static final String NICK_QUERY = "nick";

    private final Rooms rooms;
    private final NicknameRegistry nicknames;
    private final HandshakePolicy policy;
    private final HandshakeAuthenticator authenticator;
    private final int maxRooms;
    private final Supplier<FloodGuard> floodGuards;
    private final List<WireFormat> formats;
    private final boolean announceJoins;
    private final ChatMetrics metrics;
    // Nicknames fixed by the authenticator or asked for in the query, from admit() to connected().
    // A transport hands connected() the very Handshake it gave admit(); weak identity keys let go
    // of handshakes that never complete.
    private final ConcurrentMap<Handshake, String> chosenNicknames = new MapMaker().weakKeys().makeMap();

    ChatEndpoint(Rooms rooms, NicknameRegistry nicknames, HandshakePolicy policy, HandshakeAuthenticator authenticator,
            int maxRooms, Supplier<FloodGuard> floodGuards, List<WireFormat> formats, boolean announceJoins,
            ChatMetrics metrics) {
        this.rooms = rooms;
        this.nicknames = nicknames;
        this.policy = policy;
        this.authenticator = authenticator;
        this.maxRooms = maxRooms;
        this.floodGuards = floodGuards;
        this.formats = List.copyOf(formats);
        this.announceJoins = announceJoins;
        this.metrics = metrics;
    }

    @Override
    public Admission admit(Handshake handshake) {
        Admission admission = decide(handshake);
        metrics.handshake(admission.status());
        return admission;
    }

    private Admission decide(Handshake handshake) {
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
        Optional<String> since = handshake.queryParameter(Since.QUERY);
        if (since.isPresent() && Since.parse(since.get()).isEmpty()) {
            return Admission.refuse(400, Since.RULE);
        }
        Optional<String> nick = authentication.nickname().or(() -> handshake.queryParameter(NICK_QUERY));
        if (nick.isPresent()) {
            if (!NicknameRegistry.isValid(nick.get())) {
                return Admission.refuse(400, "nickname must be " + NicknameRegistry.RULE + ": " + nick.get());
            }
            try {
                if (nicknames.isTaken(nick.get())) {
                    return Admission.refuse(409, "nickname in use: " + nick.get());
                }
            } catch (BrokerUnavailableException e) {
                return Admission.refuse(503, UNAVAILABLE);
            }
            chosenNicknames.put(handshake, nick.get());
        }
        return Admission.accept(formatFor(handshake.offeredSubprotocols()).subprotocol());
    }

    /** The first offered subprotocol that names a format, else the format for no subprotocol. */
    private WireFormat formatFor(List<String> offered) {
        for (String subprotocol : offered) {
            for (WireFormat format : formats) {
                if (!format.subprotocol().isEmpty() && format.subprotocol().equals(subprotocol)) {
                    return format;
                }
            }
        }
        return formatOf("");
    }

    private WireFormat formatOf(String subprotocol) {
        for (WireFormat format : formats) {
            if (format.subprotocol().equals(subprotocol)) {
                return format;
            }
        }
        throw new IllegalStateException("no wire format for subprotocol '" + subprotocol + "'");
    }

    @Override
    public void connected(Connection connection) {
        String roomName = RoomPaths.roomOf(connection.handshake().path()).orElseThrow(
                () -> new IllegalStateException("connection to a path that names no room: " + connection));
        policy.track(connection);
        new Session(connection, roomName, formatOf(connection.subprotocol()),
                chosenNicknames.remove(connection.handshake()));
    }

    /**
     * One connection's part in the chat. Its fields are touched only by the connection's handlers,
     * which run one at a time, each seeing what the one before wrote.
     */
    private final class Session {
        private final Connection connection;
        private final String roomName;
        private final WireFormat format;
        private final String chosenNick;
        private final FloodGuard floodGuard = floodGuards.get();
        private String nick;
        private Member member;
        private Room room;

        Session(Connection connection, String roomName, WireFormat format, String chosenNick) {
            this.connection = connection;
            this.roomName = roomName;
            this.format = format;
            this.chosenNick = chosenNick;
            connection.onOpen(this::open);
            connection.onMessage(this::message);
            connection.onClose(this::close);
        }

        private void open() {
            try {
                if (chosenNick == null) {
                    nick = nicknames.claimRandom();
                } else if (nicknames.claim(chosenNick)) {
                    nick = chosenNick;
                } else {
                    connection.close(CloseCodes.POLICY_VIOLATION, "nickname in use: " + chosenNick);
                    return;
                }
            } catch (BrokerUnavailableException e) {
                connection.close(CloseCodes.TRY_AGAIN_LATER, UNAVAILABLE);
                return;
            }
            Member joining = new Member(connection, format, nick);
            try {
                room = rooms.join(roomName, joining, connection.handshake().queryParameter(Since.QUERY).flatMap(Since::parse));
            } catch (BrokerUnavailableException e) {
                // A new room on this node could not subscribe (a shared broker's store is away).
                log.warn("{} ({}) could not join room {}: {}", connection.id(), nick, roomName, e.getMessage());
                nicknames.release(nick);
                connection.close(CloseCodes.TRY_AGAIN_LATER, UNAVAILABLE);
                return;
            }
            member = joining;
            rooms.roster().ifPresent(r -> present(() -> r.joined(roomName, nick)));
            metrics.opened();
            if (announceJoins) {
                room.publish(new RoomEvent.Joined(nick));
            }
            log.debug("{} joined room {} as {}", connection.id(), roomName, nick);
        }

        private void message(String frame) {
            if (member == null) {
                return; // refused at open, closing
            }
            metrics.lineReceived();
            switch (floodGuard.check()) {
                case ACCEPT:
                    long arrived = metrics.timesFanout() ? System.nanoTime() : 0;
                    perform(format.parse(frame));
                    if (arrived != 0) {
                        // The in-process broker fans out on the publishing thread: done when perform returns.
                        metrics.fannedOut(System.nanoTime() - arrived);
                    }
                    break;
                case REFUSE:
                    metrics.lineRefused("rate");
                    connection.send(format.error(ChatError.RATE_LIMITED, TOO_FAST));
                    break;
                case DISCONNECT:
                    log.info("{} ({}) flooded room {}; closing with 1008", connection.id(), nick, roomName);
                    connection.close(CloseCodes.POLICY_VIOLATION, "flooding: too many lines for too long");
                    break;
                default:
                    throw new IllegalStateException("unknown verdict");
            }
        }

        private void perform(ClientCommand command) {
            if (command instanceof ClientCommand.Say say) {
                publishLines(say.text(), line -> new RoomEvent.Message(nick, line));
            } else if (command instanceof ClientCommand.Me me) {
                publishLines(me.text(), line -> new RoomEvent.Action(nick, line));
            } else if (command instanceof ClientCommand.Nick rename) {
                rename(rename.name());
            } else if (command instanceof ClientCommand.Who) {
                Optional<Roster> roster = rooms.roster();
                if (roster.isEmpty()) {
                    connection.send(format.members(roomName, room.nicks()));
                    return;
                }
                try {
                    connection.send(format.members(roomName, roster.get().members(roomName)));
                } catch (BrokerUnavailableException e) {
                    error(ChatError.UNAVAILABLE, "the room is unavailable: try again in a moment.");
                }
            } else if (command instanceof ClientCommand.Msg whisper) {
                Optional<String> to;
                try {
                    to = memberNamed(whisper.to());
                } catch (BrokerUnavailableException e) {
                    error(ChatError.UNAVAILABLE, NOT_SENT);
                    return;
                }
                if (to.isEmpty()) {
                    error(ChatError.NO_SUCH_MEMBER, "no one called " + whisper.to() + " in " + roomName);
                } else {
                    publishLines(whisper.text(), line -> new RoomEvent.Private(nick, to.get(), line));
                }
            } else if (command instanceof ClientCommand.Invalid invalid) {
                error(invalid.error(), invalid.text());
            }
        }

        /** The member of the room called so, without regard to case: on this node, or with a roster on any. */
        private Optional<String> memberNamed(String wanted) {
            Optional<Roster> roster = rooms.roster();
            if (roster.isEmpty()) {
                return room.memberNamed(wanted);
            }
            String key = wanted.toLowerCase(Locale.ROOT);
            return roster.get().members(roomName).stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(key)).findFirst();
        }

        /** Tells the roster of a presence change; a roster that cannot answer is logged, not fatal. */
        private void present(Runnable change) {
            try {
                change.run();
            } catch (BrokerUnavailableException e) {
                log.warn("{} ({}) in room {}: the roster did not take a presence change: {}", connection.id(), nick,
                        roomName, e.getMessage());
            }
        }

        private void publishLines(String typed, Function<String, RoomEvent> event) {
            for (String line : TypedText.lines(typed)) {
                CompletionStage<Void> outcome = room.publish(event.apply(line));
                if (outcome != Broker.placed()) {
                    // A shared broker: the sender learns if the line could not take its place.
                    outcome.whenComplete((placed, failure) -> {
                        if (failure != null) {
                            metrics.lineRefused("unavailable");
                            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                    ? failure.getCause() : failure;
                            boolean uncertain = cause instanceof BrokerUnavailableException b && b.isUncertain();
                            error(ChatError.UNAVAILABLE, uncertain ? UNCONFIRMED : NOT_SENT);
                        }
                    });
                }
            }
        }

        private void rename(String wanted) {
            if (!NicknameRegistry.isValid(wanted)) {
                error(ChatError.INVALID_NICKNAME, "a nickname is " + NicknameRegistry.RULE + ": " + wanted);
                return;
            }
            if (wanted.equals(nick)) {
                return;
            }
            boolean sameName = wanted.toLowerCase(Locale.ROOT).equals(nick.toLowerCase(Locale.ROOT));
            try {
                if (!sameName && !nicknames.claim(wanted)) {
                    error(ChatError.NICKNAME_TAKEN, "nickname in use: " + wanted);
                    return;
                }
            } catch (BrokerUnavailableException e) {
                error(ChatError.UNAVAILABLE, "the room is unavailable: your nickname did not change.");
                return;
            }
            String old = nick;
            nick = wanted;
            if (!sameName) {
                nicknames.release(old);
            }
            rooms.roster().ifPresent(r -> present(() -> {
                r.left(roomName, old);
                r.joined(roomName, wanted);
            }));
            room.publish(new RoomEvent.Renamed(old, wanted));
        }

        private void error(ChatError error, String text) {
            connection.send(format.error(error, text));
        }

        private void close(int code, String reason) {
            if (member == null) {
                return;
            }
            metrics.closed(code, reason);
            // The name is free, here and on every node, before anyone can read the leave: whoever
            // takes it on seeing " .... ann has left." is never refused. A shared broker's roster
            // sends both on the connection the leave is published on, so Redis takes them first.
            rooms.roster().ifPresent(r -> present(() -> r.left(roomName, nick)));
            nicknames.release(nick);
            rooms.leave(room, member, nick);
            log.debug("{} ({}) left room {}", connection.id(), nick, roomName);
        }
    }
}
