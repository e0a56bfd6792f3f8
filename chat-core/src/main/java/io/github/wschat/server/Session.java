package io.github.wschat.server;

import com.google.common.util.concurrent.MoreExecutors;
import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.app.Line;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.Roster;
import io.github.wschat.Registration;
import io.github.wschat.history.Position;
import io.github.wschat.protocol.ChatError;
import io.github.wschat.protocol.ClientCommand;
import io.github.wschat.protocol.Durations;
import io.github.wschat.protocol.PlainTextFormat;
import io.github.wschat.protocol.WireFormat;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's part in the chat: the device of a member. When it opens it joins the room — as
 * another device of its person's member where the person is in the room already (on any node), else as
 * a new member under a nickname it claims; it carries out its commands, and departs when it closes
 * (the member leaves with its last device).
 *
 * <p>Its fields are touched by the connection's handlers, which run one at a time. With line filters,
 * verdicts complete on other threads: then every handler and every verdict runs through one serial
 * executor, one at a time, each seeing what the one before wrote, with no lock held while it runs.
 */
final class Session {

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    static final String TOO_FAST = "too fast: that line was not sent; wait a moment.";
    static final String UNAVAILABLE = "the chat is unavailable; try again in a moment";

    private final SessionContext chat;
    private final Connection connection;
    private final String roomName;
    private final WireFormat format;
    private final String chosenNick;
    private final Identity identity;
    private final FloodGuard floodGuard;
    private final LinePipeline lines;
    private final Replies replies;
    // The person's member key: its identity, or this connection for someone anonymous.
    private final String key;
    // The nickname, before the device joined; then the member's (see nick()).
    private String nick;
    private Device device;
    private Room room;
    // When the credential the connection showed expires, and the timer that closes it then.
    private Optional<Instant> expiresAt;
    private Registration expiry = () -> { };
    // Plain text's /history: the oldest event the last page showed (a page's answer may come on another thread).
    private final AtomicReference<Optional<Position>> pagedBack = new AtomicReference<>(Optional.empty());

    Session(SessionContext chat, Connection connection, String roomName, WireFormat format, String chosenNick,
            Identity identity, Optional<Instant> expiresAt) {
        this(chat, connection, roomName, format, chosenNick, identity, expiresAt, null);
    }

    /**
     * @param gate where the connection's work waits for the asynchronous join hooks' verdict; null
     *     where none are asked
     */
    Session(SessionContext chat, Connection connection, String roomName, WireFormat format, String chosenNick,
            Identity identity, Optional<Instant> expiresAt, JoinGate gate) {
        this.chat = chat;
        this.connection = connection;
        this.roomName = roomName;
        this.format = format;
        this.chosenNick = chosenNick;
        this.identity = identity;
        this.key = Member.keyOf(identity);
        this.expiresAt = expiresAt;
        this.floodGuard = chat.floodGuards().get();
        this.replies = new Replies(connection, format, chat.metrics());
        if (chat.filters().isEmpty() && gate == null) {
            this.lines = null;
            connection.onOpen(this::open);
            connection.onMessage(this::message);
            connection.onClose(this::close);
        } else {
            // One task at a time, in order: the filters answer on their threads, the join hooks on theirs.
            Executor serial = MoreExecutors.newSequentialExecutor(gate == null ? MoreExecutors.directExecutor() : gate);
            this.lines = chat.filters().isEmpty() ? null
                    : new LinePipeline(chat.filters(), serial, this::asMember, roomName, this::decided);
            connection.onOpen(() -> serial.execute(this::open));
            connection.onMessage(frame -> serial.execute(() -> message(frame)));
            connection.onClose((code, reason) -> serial.execute(() -> close(code, reason)));
        }
    }

    private ChatMember asMember() {
        return new ChatMember(nick(), identity);
    }

    /** The name this device's lines go out under: its member's, once joined. */
    private String nick() {
        return device == null ? nick : device.member().name();
    }

    /** The member this device is of; null before it joined and after it departed. */
    private Member member() {
        return device == null ? null : device.member();
    }

    private void open() {
        NicknameRegistry nicknames = chat.nicknames();
        Optional<Roster> roster = chat.rooms().roster();
        try {
            // Another device of a member in the room (here or on another node) joins it, under its name.
            Optional<String> present = identity.isAnonymous() ? Optional.empty()
                    : chat.rooms().find(roomName).flatMap(r -> r.nickOf(key))
                            .or(() -> roster.flatMap(r -> r.nickOf(roomName, key)));
            String wanted = present.orElse(chosenNick);
            if (wanted == null) {
                nick = nicknames.claimRandom(key);
            } else if (nicknames.claim(wanted, key)) {
                nick = wanted;
            } else {
                connection.close(CloseCodes.POLICY_VIOLATION, "nickname in use: " + wanted);
                return;
            }
        } catch (BrokerUnavailableException e) {
            connection.close(CloseCodes.TRY_AGAIN_LATER, UNAVAILABLE);
            return;
        }
        Room.Arrival joined;
        try {
            joined = chat.rooms().join(roomName, key, nick, identity, connection, format,
                    connection.handshake().queryParameter(Since.QUERY).flatMap(Since::parse),
                    roster.isEmpty() && chat.announceJoins());
        } catch (BrokerUnavailableException e) {
            // A new room on this node could not subscribe (a shared broker's store is away).
            log.warn("{} ({}) could not join room {}: {}", connection.id(), nick, roomName, e.getMessage());
            nicknames.release(nick, key);
            connection.close(CloseCodes.TRY_AGAIN_LATER, UNAVAILABLE);
            return;
        }
        Member member = joined.device().member();
        boolean firstHere = joined.first();
        if (firstHere) {
            // Holds the name it was made with, here, until it leaves; muted by an earlier mute still running.
            member.muteUntil(chat.moderation().mutedUntil(identity, connection.handshake().remoteAddress().getAddress()));
        } else {
            nicknames.release(nick, key); // a device of a member that holds its name already
        }
        device = joined.device();
        room = joined.room();
        if (joined.resumed()) {
            log.debug("{} brought {} back to room {} within the leave grace", connection.id(), member.nick(), roomName);
        }
        String as = member.nick();
        if (roster.isPresent()) {
            Roster r = roster.get();
            present(() -> {
                if (r.arrived(roomName, key, as, identity.id(), identity.roles(), firstHere, chat.announceJoins())
                        == Roster.Change.ANNOUNCE && chat.announceJoins()) {
                    room.announce(new RoomEvent.Joined(as));
                }
                if (joined.resumed()) {
                    r.departed(roomName, key, as, false); // the device it had away is this one
                }
            });
        }
        chat.metrics().opened();
        if (expiresAt.isPresent()) {
            expireAt(expiresAt.get());
        }
        log.debug("{} joined room {} as {}", connection.id(), roomName, as);
    }

    private void message(String frame) {
        if (device == null) {
            return; // refused at open, closing
        }
        ChatMetrics metrics = chat.metrics();
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
                replies.error(ChatError.RATE_LIMITED, TOO_FAST, replies.idOf(frame));
                break;
            case DISCONNECT:
                log.info("{} ({}) flooded room {}; closing with 1008", connection.id(), nick(), roomName);
                connection.close(CloseCodes.POLICY_VIOLATION, "flooding: too many lines for too long");
                break;
            default:
                throw new IllegalStateException("unknown verdict");
        }
    }

    private void perform(ClientCommand given) {
        String id = given instanceof ClientCommand.Identified identified ? identified.id() : null;
        ClientCommand command = id == null ? given : ((ClientCommand.Identified) given).command();
        if (command instanceof ClientCommand.Say say) {
            submitLines(say.text(), Line.Kind.MESSAGE, Optional.empty(), id);
        } else if (command instanceof ClientCommand.Me me) {
            submitLines(me.text(), Line.Kind.ACTION, Optional.empty(), id);
        } else if (command instanceof ClientCommand.Msg whisper) {
            submitLines(whisper.text(), Line.Kind.PRIVATE, Optional.of(whisper.to()), id);
        } else if (command instanceof ClientCommand.Nick rename) {
            if (!NicknameRegistry.isValid(rename.name())) {
                replies.error(ChatError.INVALID_NICKNAME, "a nickname is " + NicknameRegistry.RULE + ": " + rename.name(), id);
            } else if (!rename.name().equals(nick())) {
                submit(new Line(Line.Kind.RENAME, rename.name(), Optional.empty()), id);
            } else if (id != null) {
                replies.done(id);
            }
        } else if (command instanceof ClientCommand.Who) {
            who(id);
        } else if (command instanceof ClientCommand.History page) {
            history(page, id);
        } else if (command instanceof ClientCommand.Refresh refresh) {
            refresh(refresh.token(), id);
        } else if (command instanceof ClientCommand.Moderate moderate) {
            OperatorCommands.perform(moderate, identity, nick(), roomName, chat, replies, id);
        } else if (command instanceof ClientCommand.Invalid invalid) {
            replies.error(invalid.error(), invalid.text(), null);
        }
    }

    /** What makes a line's id this sender's: its identity, or without one its nickname. */
    private String onceKey(String id) {
        String who = identity.isAnonymous() ? "n:" + nick().toLowerCase(Locale.ROOT) : "i:" + identity.id();
        return who + "/" + id;
    }

    private void submitLines(String typed, Line.Kind kind, Optional<String> to, String id) {
        List<String> parts = TypedText.lines(typed);
        if (id != null && parts.size() != 1) {
            replies.error(ChatError.MALFORMED, "a command with an id carries one line, not " + parts.size(), id);
            return;
        }
        for (String line : parts) {
            submit(new Line(kind, line, to), id);
        }
    }

    /** A line on its way: refused while muted, through the filters if there are any, then placed. */
    private void submit(Line line, String id) {
        if (refusedAsMuted(id)) {
            return;
        }
        if (lines == null) {
            place(line, id);
        } else {
            lines.submit(line, id);
        }
    }

    /** The filters' decision on a line, in the order its sender sent it. */
    private void decided(LineFilters.Decision decision) {
        if (device == null) {
            return; // left meanwhile
        }
        if (!decision.accepted()) {
            chat.metrics().lineRefused(decision.metric());
            replies.error(ChatError.REFUSED, decision.reason(), decision.id());
        } else if (!refusedAsMuted(decision.id())) {
            place(decision.line(), decision.id());
        }
    }

    private boolean refusedAsMuted(String id) {
        long left = member().mutedUntil() - System.currentTimeMillis();
        if (left <= 0) {
            return false;
        }
        chat.metrics().lineRefused("muted");
        replies.error(ChatError.MUTED, "you are muted for " + Durations.describe(left)
                + " more: that line was not sent.", id);
        return true;
    }

    private void place(Line line, String id) {
        switch (line.kind()) {
            case MESSAGE:
                publish(new RoomEvent.Message(nick(), line.text(), identity.id()), id);
                break;
            case ACTION:
                publish(new RoomEvent.Action(nick(), line.text(), identity.id()), id);
                break;
            case PRIVATE:
                whisper(line.to().orElseThrow(), line.text(), id);
                break;
            case RENAME:
                rename(line.text(), id);
                break;
            default:
                throw new IllegalStateException("unknown kind " + line.kind());
        }
    }

    /**
     * A page of the room's history, to this device alone: from the store (on its own thread) or, without
     * one, from the room's memory here. Plain text's {@code /history} pages back from the page it showed
     * last, first from the oldest line this node holds (what the welcome showed).
     */
    private void history(ClientCommand.History asked, String id) {
        Optional<Position> before = asked.before();
        if (before.isEmpty() && format instanceof PlainTextFormat) {
            before = pagedBack.get().or(room::oldest);
        }
        chat.history().before(chat.rooms(), roomName, before, asked.limit()).whenComplete((page, failure) -> {
            if (failure != null) {
                log.warn("{} in room {}: no history page: {}", connection.id(), roomName, failure.toString());
                replies.error(ChatError.UNAVAILABLE, "history is unavailable: try again in a moment.", id);
                return;
            }
            List<String> frames;
            try {
                frames = format.history(roomName, page, id);
            } catch (UnsupportedOperationException e) {
                replies.error(ChatError.UNSUPPORTED, "this protocol has no history pages", id);
                return;
            }
            // Before the page goes out: the device may ask for the next one as soon as it has read this one.
            if (!page.events().isEmpty()) {
                var oldest = page.events().get(0);
                pagedBack.set(Optional.of(new Position(oldest.epoch(), oldest.sequence())));
            }
            frames.forEach(connection::send);
        });
    }

    /** Closes the connection with {@link CloseCodes#EXPIRED} at {@code instant}, unless refreshed before. */
    private void expireAt(Instant instant) {
        expiry.remove();
        expiry = chat.credentials().at(instant, () -> {
            log.info("{} ({}) in room {}: its credential expired; closing with {}", connection.id(), nick(), roomName,
                    CloseCodes.EXPIRED);
            connection.close(CloseCodes.EXPIRED, "your token expired: connect again with a fresh one");
        });
    }

    private void refresh(String credential, String id) {
        Authentication decision = chat.credentials().refresh(identity, credential);
        if (!decision.accepted()) {
            replies.error(ChatError.REFUSED, "token not refreshed: " + decision.reason(), id);
            return;
        }
        expiresAt = decision.expiresAt();
        if (expiresAt.isPresent()) {
            expireAt(expiresAt.get());
        } else {
            expiry.remove();
        }
        if (id != null) {
            replies.done(id);
        }
    }

    private void who(String id) {
        Optional<Roster> roster = chat.rooms().roster();
        if (roster.isEmpty()) {
            replies.members(roomName, room.nicks(), id);
            return;
        }
        try {
            replies.members(roomName, roster.get().members(roomName), id);
        } catch (BrokerUnavailableException e) {
            replies.error(ChatError.UNAVAILABLE, "the room is unavailable: try again in a moment.", id);
        }
    }

    private void whisper(String wanted, String text, String id) {
        Optional<String> to;
        try {
            to = memberNamed(wanted);
        } catch (BrokerUnavailableException e) {
            replies.error(ChatError.UNAVAILABLE, Replies.NOT_SENT, id);
            return;
        }
        if (to.isEmpty()) {
            replies.error(ChatError.NO_SUCH_MEMBER, "no one called " + wanted + " in " + roomName, id);
        } else {
            publish(new RoomEvent.Private(nick(), to.get(), text), id);
        }
    }

    /** The member of the room called so, without regard to case: on this node, or with a roster on any. */
    private Optional<String> memberNamed(String wanted) {
        Optional<Roster> roster = chat.rooms().roster();
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
            log.warn("{} ({}) in room {}: the roster did not take a presence change: {}", connection.id(), nick(),
                    roomName, e.getMessage());
        }
    }

    /** Places the event; one with an id is placed once per sender and id, and acknowledged. */
    private void publish(RoomEvent event, String id) {
        if (id == null) {
            replies.published(room.publish(event));
        } else {
            replies.placed(id, room.publishOnce(event, onceKey(id)));
        }
    }

    private void rename(String wanted, String id) {
        if (!NicknameRegistry.isValid(wanted)) { // a filter's rewrite
            replies.error(ChatError.INVALID_NICKNAME, "a nickname is " + NicknameRegistry.RULE + ": " + wanted, id);
            return;
        }
        Member member = member();
        String old = member.name();
        if (wanted.equals(old)) {
            if (id != null) {
                replies.done(id);
            }
            return;
        }
        boolean sameName = wanted.toLowerCase(Locale.ROOT).equals(old.toLowerCase(Locale.ROOT));
        try {
            if (!sameName && !chat.nicknames().claim(wanted, key)) {
                replies.error(ChatError.NICKNAME_TAKEN, "nickname in use: " + wanted, id);
                return;
            }
        } catch (BrokerUnavailableException e) {
            replies.error(ChatError.UNAVAILABLE, "the room is unavailable: your nickname did not change.", id);
            return;
        }
        // Every device of the member here sends as the new name at once; the others, on other nodes, from
        // when their room delivers the rename.
        member.sendAs(wanted);
        if (!sameName) {
            String held = member.claimed();
            member.claimed(wanted);
            chat.nicknames().release(held, key);
        }
        chat.rooms().roster().ifPresent(r -> present(() -> r.renamed(roomName, key, old, wanted, identity.id(),
                identity.roles())));
        if (id == null) {
            room.publish(new RoomEvent.Renamed(old, wanted)); // the name changed: a failure is the room's
        } else {
            publish(new RoomEvent.Renamed(old, wanted), id);
        }
    }

    private void close(int code, String reason) {
        if (lines != null) {
            lines.abandon();
        }
        expiry.remove();
        if (device == null) {
            return;
        }
        Device leaving = device;
        Member member = leaving.member();
        device = null;
        chat.metrics().closed(code, reason);
        Optional<Roster> roster = chat.rooms().roster();
        Room from = room;
        Room.Departure departure = chat.rooms().leave(room, leaving, roster.isEmpty(),
                gone -> left(member, from, gone.last()));
        log.debug("{} ({}) {} room {}", connection.id(), departure.nick(),
                departure.away() ? "went, away for the leave grace, from" : "left", roomName);
    }

    /**
     * What a device's departure takes besides the room: the name is free, here and on every node, once
     * the member's last device here is gone (before anyone can read a leave this node places: whoever
     * takes the name on seeing " .... ann has left." is never refused); a shared broker's roster places
     * the leave itself, or tells this node to, only where no other node holds a device of the member.
     */
    private void left(Member member, Room from, boolean lastHere) {
        if (lastHere) {
            chat.nicknames().release(member.claimed(), key);
        }
        chat.rooms().roster().ifPresent(r -> {
            if (r.departed(roomName, key, member.nick(), lastHere) == Roster.Change.ANNOUNCE) {
                from.announce(new RoomEvent.Left(member.nick()));
            }
        });
    }
}
