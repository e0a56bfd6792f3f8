package io.github.wschat.server;

import com.google.common.util.concurrent.MoreExecutors;
import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.app.ChatMember;
import io.github.wschat.app.Identity;
import io.github.wschat.app.Line;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.Roster;
import io.github.wschat.protocol.ChatError;
import io.github.wschat.protocol.ClientCommand;
import io.github.wschat.protocol.WireFormat;
import io.github.wschat.protocol.Durations;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
    static final String UNCONFIRMED = "the room did not confirm that line: the connection broke as it was sent; "
            + "the others got it or none did.";
    static final String NOT_SENT = "the room is unavailable: that line was not sent; try again in a moment.";

    private final SessionContext chat;
    private final Connection connection;
    private final String roomName;
    private final WireFormat format;
    private final String chosenNick;
    private final Identity identity;
    private final FloodGuard floodGuard;
    private final LinePipeline lines;
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
                error(ChatError.RATE_LIMITED, TOO_FAST);
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
            submitLines(say.text(), Line.Kind.MESSAGE, Optional.empty());
        } else if (command instanceof ClientCommand.Me me) {
            submitLines(me.text(), Line.Kind.ACTION, Optional.empty());
        } else if (command instanceof ClientCommand.Msg whisper) {
            submitLines(whisper.text(), Line.Kind.PRIVATE, Optional.of(whisper.to()));
        } else if (command instanceof ClientCommand.Nick rename) {
            if (!NicknameRegistry.isValid(rename.name())) {
                error(ChatError.INVALID_NICKNAME, "a nickname is " + NicknameRegistry.RULE + ": " + rename.name());
            } else if (!rename.name().equals(nick)) {
                submit(new Line(Line.Kind.RENAME, rename.name(), Optional.empty()));
            }
        } else if (command instanceof ClientCommand.Who) {
            who();
        } else if (command instanceof ClientCommand.Moderate moderate) {
            moderate(moderate);
        } else if (command instanceof ClientCommand.Invalid invalid) {
            error(invalid.error(), invalid.text());
        }
    }

    private void moderate(ClientCommand.Moderate step) {
        OperatorCommands.perform(step, identity, nick, roomName, chat, this::error);
    }

    private void submitLines(String typed, Line.Kind kind, Optional<String> to) {
        for (String line : TypedText.lines(typed)) {
            submit(new Line(kind, line, to));
        }
    }

    /** A line on its way: refused while muted, through the filters if there are any, then placed. */
    private void submit(Line line) {
        if (refusedAsMuted()) {
            return;
        }
        if (lines == null) {
            place(line);
        } else {
            lines.submit(line);
        }
    }

    /** The filters' decision on a line, in the order its sender sent it. */
    private void decided(LineFilters.Decision decision) {
        if (member == null) {
            return; // left meanwhile
        }
        if (!decision.accepted()) {
            chat.metrics().lineRefused(decision.metric());
            error(ChatError.REFUSED, decision.reason());
        } else if (!refusedAsMuted()) {
            place(decision.line());
        }
    }

    private boolean refusedAsMuted() {
        long left = member.mutedUntil() - System.currentTimeMillis();
        if (left <= 0) {
            return false;
        }
        chat.metrics().lineRefused("muted");
        error(ChatError.MUTED, "you are muted for " + Durations.describe(left)
                + " more: that line was not sent.");
        return true;
    }

    private void place(Line line) {
        switch (line.kind()) {
            case MESSAGE:
                publish(new RoomEvent.Message(nick, line.text()));
                break;
            case ACTION:
                publish(new RoomEvent.Action(nick, line.text()));
                break;
            case PRIVATE:
                whisper(line.to().orElseThrow(), line.text());
                break;
            case RENAME:
                rename(line.text());
                break;
            default:
                throw new IllegalStateException("unknown kind " + line.kind());
        }
    }

    private void who() {
        Optional<Roster> roster = chat.rooms().roster();
        if (roster.isEmpty()) {
            connection.send(format.members(roomName, room.nicks()));
            return;
        }
        try {
            connection.send(format.members(roomName, roster.get().members(roomName)));
        } catch (BrokerUnavailableException e) {
            error(ChatError.UNAVAILABLE, "the room is unavailable: try again in a moment.");
        }
    }

    private void whisper(String wanted, String text) {
        Optional<String> to;
        try {
            to = memberNamed(wanted);
        } catch (BrokerUnavailableException e) {
            error(ChatError.UNAVAILABLE, NOT_SENT);
            return;
        }
        if (to.isEmpty()) {
            error(ChatError.NO_SUCH_MEMBER, "no one called " + wanted + " in " + roomName);
        } else {
            publish(new RoomEvent.Private(nick, to.get(), text));
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

    private void publish(RoomEvent event) {
        CompletionStage<Void> outcome = room.publish(event);
        if (outcome != Broker.placed()) {
            // A shared broker: the sender learns if the line could not take its place.
            outcome.whenComplete((placed, failure) -> {
                if (failure != null) {
                    chat.metrics().lineRefused("unavailable");
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    boolean uncertain = cause instanceof BrokerUnavailableException b && b.isUncertain();
                    error(ChatError.UNAVAILABLE, uncertain ? UNCONFIRMED : NOT_SENT);
                }
            });
        }
    }

    private void rename(String wanted) {
        if (!NicknameRegistry.isValid(wanted)) { // a filter's rewrite
            error(ChatError.INVALID_NICKNAME, "a nickname is " + NicknameRegistry.RULE + ": " + wanted);
            return;
        }
        if (wanted.equals(nick)) {
            return;
        }
        boolean sameName = wanted.toLowerCase(Locale.ROOT).equals(nick.toLowerCase(Locale.ROOT));
        try {
            if (!sameName && !chat.nicknames().claim(wanted)) {
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
            chat.nicknames().release(old);
        }
        chat.rooms().roster().ifPresent(r -> present(() -> {
            r.left(roomName, old);
            r.joined(roomName, wanted, identity.id(), identity.roles());
        }));
        room.publish(new RoomEvent.Renamed(old, wanted));
    }

    private void error(ChatError error, String text) {
        connection.send(format.error(error, text));
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
