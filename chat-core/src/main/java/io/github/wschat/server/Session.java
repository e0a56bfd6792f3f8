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
import io.github.wschat.protocol.ChatError;
import io.github.wschat.protocol.ClientCommand;
import io.github.wschat.protocol.WireFormat;
import io.github.wschat.protocol.Durations;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's part in the chat: takes a nickname and joins the room when it opens, carries out
 * its commands, and leaves when it closes.
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
    private String nick;
    private Member member;
    private Room room;

    Session(SessionContext chat, Connection connection, String roomName, WireFormat format, String chosenNick,
            Identity identity) {
        this.chat = chat;
        this.connection = connection;
        this.roomName = roomName;
        this.format = format;
        this.chosenNick = chosenNick;
        this.identity = identity;
        this.floodGuard = chat.floodGuards().get();
        this.replies = new Replies(connection, format, chat.metrics());
        connection.onOpen(this::open);
        if (chat.filters().isEmpty()) {
            this.lines = null;
            connection.onMessage(this::message);
            connection.onClose(this::close);
        } else {
            Executor serial = MoreExecutors.newSequentialExecutor(MoreExecutors.directExecutor());
            this.lines = new LinePipeline(chat.filters(), serial, this::asMember, roomName, this::decided);
            connection.onMessage(frame -> serial.execute(() -> message(frame)));
            connection.onClose((code, reason) -> serial.execute(() -> close(code, reason)));
        }
    }

    private ChatMember asMember() {
        return new ChatMember(nick, identity);
    }

    private void open() {
        NicknameRegistry nicknames = chat.nicknames();
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
        Member joining = new Member(connection, format, nick, identity);
        joining.muteUntil(chat.moderation().mutedUntil(identity, connection.handshake().remoteAddress().getAddress()));
        try {
            room = chat.rooms().join(roomName, joining,
                    connection.handshake().queryParameter(Since.QUERY).flatMap(Since::parse));
        } catch (BrokerUnavailableException e) {
            // A new room on this node could not subscribe (a shared broker's store is away).
            log.warn("{} ({}) could not join room {}: {}", connection.id(), nick, roomName, e.getMessage());
            nicknames.release(nick);
            connection.close(CloseCodes.TRY_AGAIN_LATER, UNAVAILABLE);
            return;
        }
        member = joining;
        chat.rooms().roster().ifPresent(r -> present(() -> r.joined(roomName, nick, identity.id(), identity.roles())));
        chat.metrics().opened();
        if (chat.announceJoins()) {
            room.publish(new RoomEvent.Joined(nick));
        }
        log.debug("{} joined room {} as {}", connection.id(), roomName, nick);
    }

    private void message(String frame) {
        if (member == null) {
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
                log.info("{} ({}) flooded room {}; closing with 1008", connection.id(), nick, roomName);
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
            } else if (!rename.name().equals(nick)) {
                submit(new Line(Line.Kind.RENAME, rename.name(), Optional.empty()), id);
            } else if (id != null) {
                replies.done(id);
            }
        } else if (command instanceof ClientCommand.Who) {
            who(id);
        } else if (command instanceof ClientCommand.Moderate moderate) {
            OperatorCommands.perform(moderate, identity, nick, roomName, chat, replies, id);
        } else if (command instanceof ClientCommand.Invalid invalid) {
            replies.error(invalid.error(), invalid.text(), null);
        }
    }

    /** What makes a line's id this sender's: its identity, or without one its nickname. */
    private String onceKey(String id) {
        String who = identity.isAnonymous() ? "n:" + nick.toLowerCase(Locale.ROOT) : "i:" + identity.id();
        return who + "/" + id;
    }

    private void submitLines(String typed, Line.Kind kind, Optional<String> to, String id) {
        java.util.List<String> parts = TypedText.lines(typed);
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
        if (member == null) {
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
        long left = member.mutedUntil() - System.currentTimeMillis();
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
                publish(new RoomEvent.Message(nick, line.text()), id);
                break;
            case ACTION:
                publish(new RoomEvent.Action(nick, line.text()), id);
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
            publish(new RoomEvent.Private(nick, to.get(), text), id);
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
            log.warn("{} ({}) in room {}: the roster did not take a presence change: {}", connection.id(), nick,
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
        if (wanted.equals(nick)) {
            if (id != null) {
                replies.done(id);
            }
            return;
        }
        boolean sameName = wanted.toLowerCase(Locale.ROOT).equals(nick.toLowerCase(Locale.ROOT));
        try {
            if (!sameName && !chat.nicknames().claim(wanted)) {
                replies.error(ChatError.NICKNAME_TAKEN, "nickname in use: " + wanted, id);
                return;
            }
        } catch (BrokerUnavailableException e) {
            replies.error(ChatError.UNAVAILABLE, "the room is unavailable: your nickname did not change.", id);
            return;
        }
        String old = nick;
        nick = wanted;
        if (!sameName) {
            chat.nicknames().release(old);
        }
        chat.rooms().roster().ifPresent(r -> present(() -> {
            r.left(roomName, old);
            r.joined(roomName, wanted, identity.id(), identity.roles());
        }));
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
        if (member == null) {
            return;
        }
        Member leaving = member;
        member = null;
        chat.metrics().closed(code, reason);
        // The name is free, here and on every node, before anyone can read the leave: whoever
        // takes it on seeing " .... ann has left." is never refused. A shared broker's roster
        // sends both on the connection the leave is published on, so Redis takes them first.
        chat.rooms().roster().ifPresent(r -> present(() -> r.left(roomName, nick)));
        chat.nicknames().release(nick);
        chat.rooms().leave(room, leaving, nick);
        log.debug("{} ({}) left room {}", connection.id(), nick, roomName);
    }
}
