package io.github.wschat.protocol;

import io.github.wschat.broker.RoomEvent;
import java.util.List;

/**
 * One way of putting the chat on the wire: it reads a client's frames as commands and writes room
 * events, welcomes, member lists and errors as frames. The server picks a client's format by the
 * WebSocket subprotocol it offers.
 *
 * <p>Implementations are stateless and thread-safe; the server calls {@link #event} once per event
 * and format and sends the same frame to every member that uses the format.
 */
public interface WireFormat {

    /**
     * The subprotocol that selects this format.
     *
     * @return the subprotocol name, or the empty string for a format used when the client asks for
     *     none
     */
    String subprotocol();

    /**
     * Reads one frame from a client.
     *
     * @param frame the text frame
     * @return the command, or {@link ClientCommand.Invalid} for a frame that is none
     */
    ClientCommand parse(String frame);

    /**
     * Writes a room event.
     *
     * @param sequence the event's position in the room's order
     * @param time when it took that place, in milliseconds since the epoch
     * @param event the event
     * @return the frame
     */
    String event(long sequence, long time, RoomEvent event);

    /**
     * Writes a room event with the room's epoch; by default as {@link #event(long, long, RoomEvent)},
     * without it.
     *
     * @param epoch the room's epoch (see {@link Recovery#epoch()})
     * @param sequence the event's position in the room's order, within the epoch
     * @param time when it took that place, in milliseconds since the epoch
     * @param event the event
     * @return the frame
     */
    default String event(String epoch, long sequence, long time, RoomEvent event) {
        return event(sequence, time, event);
    }

    /**
     * Writes what a member gets on joining, before any live event: who it is, where, with whom,
     * and what was said before.
     *
     * @param nick the joiner's nickname
     * @param room the room's name
     * @param members the members' nicknames, the joiner's included; valid during this call only
     *     (copy what must be kept)
     * @param history the room's recent public events, oldest first
     * @return the frames, in order; possibly none
     */
    List<String> welcome(String nick, String room, List<String> members, List<Sequenced> history);

    /**
     * Writes the welcome with where the joiner stands; by default as
     * {@link #welcome(String, String, List, List)}, without it.
     *
     * @param nick the joiner's nickname
     * @param room the room's name
     * @param members the members' nicknames, the joiner's included; valid during this call only
     * @param history the events the joiner gets before any live one, oldest first: those after its
     *     position when it resumed and missed none, else the room's recent public events
     * @param recovery the room's epoch, and whether the joiner resumed and missed events
     * @return the frames, in order; possibly none
     */
    default List<String> welcome(String nick, String room, List<String> members, List<Sequenced> history,
            Recovery recovery) {
        return welcome(nick, room, members, history);
    }

    /**
     * Writes the welcome with the joiner's roles (its identity's, e.g. {@code operator}), so a client
     * can offer what the role allows; by default as
     * {@link #welcome(String, String, List, List, Recovery)}, without them.
     *
     * @param nick the joiner's nickname
     * @param room the room's name
     * @param members the members' nicknames, the joiner's included; valid during this call only
     * @param history the events the joiner gets before any live one, oldest first
     * @param recovery the room's epoch, and whether the joiner resumed and missed events
     * @param roles the joiner's roles; empty for most
     * @return the frames, in order; possibly none
     */
    default List<String> welcome(String nick, String room, List<String> members, List<Sequenced> history,
            Recovery recovery, java.util.Set<String> roles) {
        return welcome(nick, room, members, history, recovery);
    }

    /**
     * Writes the answer to {@code /who}.
     *
     * @param room the room's name
     * @param members the members' nicknames
     * @return the frame
     */
    String members(String room, List<String> members);

    /**
     * Writes a change in the room's state that every member is told of: the room cannot take lines
     * (its shared broker is unreachable), or it can again. By default the text as an error with
     * {@link ChatError#UNAVAILABLE}, in both cases.
     *
     * @param available whether the room takes lines again
     * @param text what to tell the members
     * @return the frame
     */
    default String status(boolean available, String text) {
        return error(ChatError.UNAVAILABLE, text);
    }

    /**
     * Writes the answer to {@code /who} for a command that carried an id; by default the answer
     * without it.
     *
     * @param room the room's name
     * @param members the members' nicknames
     * @param id the command's id
     * @return the frame
     */
    default String members(String room, List<String> members, String id) {
        return members(room, members);
    }

    /**
     * Writes the acknowledgement of a command that carried an id ({@link ClientCommand.Identified})
     * and took its place. Only a format whose {@link #parse} gives ids is asked.
     *
     * @param id the command's id
     * @param epoch the room's epoch the line took its place in
     * @param sequence its place
     * @return the frame
     * @throws UnsupportedOperationException by default
     */
    default String ack(String id, String epoch, long sequence) {
        throw new UnsupportedOperationException(getClass().getName() + " gives no ids");
    }

    /**
     * Writes the acknowledgement of a command that carried an id and was carried out without
     * placing a line (a rename to the name the sender has, a moderator's command).
     *
     * @param id the command's id
     * @return the frame
     * @throws UnsupportedOperationException by default
     */
    default String ack(String id) {
        throw new UnsupportedOperationException(getClass().getName() + " gives no ids");
    }

    /**
     * Writes an error for one client about a command that carried an id; by default the error
     * without it.
     *
     * @param error the kind of error
     * @param text what to tell the client
     * @param id the command's id
     * @return the frame
     */
    default String error(ChatError error, String text, String id) {
        return error(error, text);
    }

    /**
     * Writes an error for one client.
     *
     * @param error the kind of error
     * @param text what to tell the client
     * @return the frame
     */
    String error(ChatError error, String text);

    /**
     * Writes a page of the room's history for the client that asked ({@code id}, or null).
     *
     * @param room the room
     * @param page the events, oldest first
     * @param id the command's id, or null
     * @return the frames, in order
     * @throws UnsupportedOperationException by default: the format has no history pages
     */
    default List<String> history(String room, io.github.wschat.history.HistoryPage page, String id) {
        throw new UnsupportedOperationException("this wire format has no history pages");
    }
}
