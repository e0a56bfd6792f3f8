package io.github.wschat.server;

import com.google.common.collect.MapMaker;
import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.presence.ConnectionQuota;
import io.github.wschat.Handshake;
import io.github.wschat.app.Identity;
import io.github.wschat.app.JoinHook;
import io.github.wschat.app.JoinVerdict;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.protocol.WireFormat;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.ConnectionHandler;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/**
 * Wires each connection into the chat: admits handshakes (path, limits, authenticator, nickname,
 * wire format), gives the connection its nickname and room when it opens, carries out its commands,
 * and announces it when it closes.
 */
final class ChatEndpoint implements ConnectionHandler {

    private static final String NICK_QUERY = "nick";

    private final SessionContext chat;
    private final HandshakePolicy policy;
    private final HandshakeAuthenticator authenticator;
    private final List<JoinHook> joinHooks;
    private final AsyncJoins asyncJoins;
    private final int maxRooms;
    private final List<WireFormat> formats;
    private final ConnectionQuota quota;
    // Who the authenticator said the client is, and the nickname it fixed or the query asked for, from
    // admit() to connected(). A transport hands connected() the very Handshake it gave admit(); weak
    // identity keys let go of handshakes that never complete.
    private final ConcurrentMap<Handshake, Admitted> admitted = new MapMaker().weakKeys().makeMap();

    ChatEndpoint(SessionContext chat, HandshakePolicy policy, HandshakeAuthenticator authenticator,
            List<JoinHook> joinHooks, int maxRooms, List<WireFormat> formats, ConnectionQuota quota) {
        this(chat, policy, authenticator, joinHooks, new AsyncJoins(List.of(), Hooks.DEFAULT_JOIN_DEADLINE), maxRooms,
                formats, quota);
    }

    ChatEndpoint(SessionContext chat, HandshakePolicy policy, HandshakeAuthenticator authenticator,
            List<JoinHook> joinHooks, AsyncJoins asyncJoins, int maxRooms, List<WireFormat> formats,
            ConnectionQuota quota) {
        this.chat = chat;
        this.policy = policy;
        this.authenticator = authenticator;
        this.joinHooks = List.copyOf(joinHooks);
        this.asyncJoins = asyncJoins;
        this.maxRooms = maxRooms;
        this.formats = List.copyOf(formats);
        this.quota = quota;
    }

    /** What admit() learnt of a handshake: its nickname, if fixed or asked for (else null), and who it is. */
    private record Admitted(String nick, Identity identity, Optional<java.time.Instant> expiresAt) {
    }

    @Override
    public Admission admit(Handshake handshake) {
        Admission admission = decide(handshake);
        chat.metrics().handshake(admission.status());
        return admission;
    }

    private Admission decide(Handshake handshake) {
        Admission admission = policy.admit(handshake);
        if (!admission.accepted()) {
            return admission;
        }
        String roomName = policy.paths().roomOf(handshake.path()).orElseThrow();
        if (!chat.rooms().exists(roomName) && chat.rooms().count() >= maxRooms) {
            return Admission.refuse(503, "too many rooms: " + maxRooms + "; join an existing one");
        }
        Authentication authentication = Objects.requireNonNull(authenticator.authenticate(handshake),
                "the authenticator returned null");
        if (!authentication.accepted()) {
            return Admission.refuse(authentication.status(), authentication.reason());
        }
        Identity identity = authentication.identity();
        if (!identity.isAnonymous() && !quota.allows(identity.id())) {
            return Admission.refuse(429, "too many connections for one user: at most " + quota.max());
        }
        try {
            Optional<String> banned = chat.moderation().banned(authentication.identity(),
                    handshake.remoteAddress().getAddress());
            if (banned.isPresent()) {
                return Admission.refuse(403, banned.get());
            }
        } catch (BrokerUnavailableException e) {
            return Admission.refuse(503, Session.UNAVAILABLE);
        }
        for (JoinHook hook : joinHooks) {
            JoinVerdict verdict = Objects.requireNonNull(hook.check(authentication.identity(), roomName),
                    "the join hook returned null");
            if (!verdict.allowed()) {
                return Admission.refuse(verdict.status(), verdict.reason());
            }
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
                // Anyone else's: a person's own name is its other devices' (they join one member).
                String owner = identity.isAnonymous() ? "" : Member.keyOf(identity);
                if (chat.nicknames().isTaken(nick.get(), owner)) {
                    return Admission.refuse(409, "nickname in use: " + nick.get());
                }
            } catch (BrokerUnavailableException e) {
                return Admission.refuse(503, Session.UNAVAILABLE);
            }
        }
        if (nick.isPresent() || !authentication.identity().isAnonymous() || authentication.expiresAt().isPresent()) {
            admitted.put(handshake, new Admitted(nick.orElse(null), authentication.identity(),
                    authentication.expiresAt()));
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

    /** Whether a client may ask for this subprotocol: a format speaks it. */
    boolean speaks(String subprotocol) {
        return formats.stream().anyMatch(f -> f.subprotocol().equals(subprotocol));
    }

    /** A bot's member connection joins its room under its nickname; no handshake was admitted. */
    void connectBot(Connection connection, String roomName, String nick, Identity identity) {
        new Session(chat, connection, roomName, formatOf(connection.subprotocol()), nick, identity, Optional.empty());
    }

    @Override
    public void connected(Connection connection) {
        Optional<String> named = policy.paths().roomOf(connection.handshake().path());
        if (named.isEmpty()) {
            throw new IllegalStateException("connection to a path that names no room: " + connection);
        }
        String roomName = named.get();
        policy.track(connection);
        // Most handshakes leave nothing here (anonymous, no nickname asked): no weak-map removal for them.
        Admitted who = admitted.isEmpty() ? null : admitted.remove(connection.handshake());
        if (who != null && !who.identity().isAnonymous()) {
            String id = who.identity().id();
            if (!quota.acquire(id)) {
                // Others of the same user were admitted at the same moment, past the bound.
                connection.close(CloseCodes.POLICY_VIOLATION, "too many connections for one user: at most " + quota.max());
                return;
            }
            connection.onClose((code, reason) -> quota.release(id));
        }
        Identity identity = who == null ? Identity.ANONYMOUS : who.identity();
        JoinGate gate = asyncJoins.isEmpty() ? null : new JoinGate();
        new Session(chat, connection, roomName, formatOf(connection.subprotocol()), who == null ? null : who.nick(),
                identity, who == null ? Optional.empty() : who.expiresAt(), gate);
        if (gate != null) {
            // The session's open waits in the gate (it registered first); the hooks decide whether it runs.
            connection.onOpen(() -> asyncJoins.check(identity, roomName).thenAccept(verdict -> {
                if (verdict.allowed() && connection.isOpen()) {
                    gate.open();
                } else if (verdict.allowed()) {
                    gate.refuse(); // gone while it was asked about: it never joins, so never leaves
                } else {
                    gate.refuse();
                    connection.close(AsyncJoins.closeCode(verdict), verdict.reason());
                }
            }));
        }
    }
}
