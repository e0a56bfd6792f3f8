package io.github.wschat.client;

import java.util.List;
import java.util.Set;

/**
 * What a {@link ChatClient} tells its listener, one event at a time, in the room's order. Room events
 * ({@link Placed}) carry their place — epoch and sequence — and each reaches the listener exactly once
 * however often the client reconnects: the client resumes after the last one it delivered. All
 * records are immutable.
 */
public sealed interface ChatEvent {

    /** An event with a place in the room's order. */
    sealed interface Placed extends ChatEvent {
        /** @return the room's epoch the sequence counts in */
        String epoch();

        /** @return the event's place in the room's order, from 1 */
        long seq();

        /** @return when it took its place, in milliseconds since 1970 (the server's clock) */
        long time();
    }

    /**
     * The client joined the room, first or again after a reconnect; the room's events follow.
     *
     * @param nick this client's nickname now
     * @param room the room
     * @param members the room's members' nicknames
     * @param roles this client's roles (its identity's), may be empty
     * @param epoch the room's epoch
     * @param resumed true after a reconnect
     */
    record Connected(String nick, String room, List<String> members, Set<String> roles, String epoch, boolean resumed)
            implements ChatEvent {
        /**
         * Copies the collections.
         *
         * @param nick this client's nickname now
         * @param room the room
         * @param members the room's members' nicknames
         * @param roles this client's roles
         * @param epoch the room's epoch
         * @param resumed true after a reconnect
         */
        public Connected {
            members = List.copyOf(members);
            roles = Set.copyOf(roles);
        }
    }

    /**
     * Events were missed: the client was away longer than the room's history reaches, or the room's
     * epoch changed (the server lost its earlier events). The room's recent events follow.
     *
     * @param epoch the epoch of the last event delivered
     * @param after the sequence of the last event delivered
     * @param nowEpoch the room's epoch now
     */
    record Gap(String epoch, long after, String nowEpoch) implements ChatEvent {
    }

    /**
     * Someone said something.
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param from the sender's nickname
     * @param text the line
     */
    record Message(String epoch, long seq, long time, String from, String text) implements Placed {
    }

    /**
     * Someone did something ({@code /me}).
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param from the sender's nickname
     * @param text the action
     */
    record Action(String epoch, long seq, long time, String from, String text) implements Placed {
    }

    /**
     * A private line, to its sender and its recipient only. Private lines are not in the room's
     * history: one sent to this client while it was away is not delivered.
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param from the sender
     * @param to the recipient
     * @param text the line
     */
    record Private(String epoch, long seq, long time, String from, String to, String text) implements Placed {
    }

    /**
     * Someone joined.
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param nick who
     */
    record Joined(String epoch, long seq, long time, String nick) implements Placed {
    }

    /**
     * Someone left.
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param nick who
     */
    record Left(String epoch, long seq, long time, String nick) implements Placed {
    }

    /**
     * Someone changed nickname.
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param from the old nickname
     * @param to the new one
     */
    record Renamed(String epoch, long seq, long time, String from, String to) implements Placed {
    }

    /**
     * A line from the application itself.
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param text the line
     */
    record Notice(String epoch, long seq, long time, String text) implements Placed {
    }

    /**
     * A moderator removed a member; its leave follows.
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param nick who
     * @param reason why
     * @param bannedUntil for a ban, until when (milliseconds since 1970); 0 for a kick
     */
    record Removed(String epoch, long seq, long time, String nick, String reason, long bannedUntil) implements Placed {
    }

    /**
     * A moderator muted a member, or lifted a mute ({@code until == time}).
     *
     * @param epoch the epoch
     * @param seq the place
     * @param time the time
     * @param nick who
     * @param until until when, in milliseconds since 1970
     * @param reason why
     */
    record Muted(String epoch, long seq, long time, String nick, long until, String reason) implements Placed {
    }

    /**
     * The room cannot take lines for now (with several nodes: Redis is unreachable), or can again.
     * Sends made meanwhile wait and are sent again until the room takes them.
     *
     * @param available whether the room takes lines
     * @param text the server's explanation
     */
    record Status(boolean available, String text) implements ChatEvent {
    }

    /**
     * An error the server sent about no send of this client's (a send's own error fails its stage).
     *
     * @param code the protocol's error code
     * @param text the server's explanation
     */
    record Error(String code, String text) implements ChatEvent {
    }

    /**
     * The connection ended. Unless {@code reconnecting} is false, the client reconnects and resumes.
     * It does not after {@link ChatClient#close()}, after the server removed or banned it (close codes
     * 4001, 4003), or when a handshake is refused for good (400, 401, 403, 404), or a join hook kept it
     * out for good (4400, 4403, 4404).
     *
     * @param code the close code, or the HTTP status of a refused handshake, or 1006 when the
     *     connection broke or could not be made
     * @param reason the reason given, may be empty
     * @param reconnecting whether the client will try again
     */
    record Disconnected(int code, String reason, boolean reconnecting) implements ChatEvent {
    }
}
