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
     * Writes the answer to {@code /who}.
     *
     * @param room the room's name
     * @param members the members' nicknames
     * @return the frame
     */
    String members(String room, List<String> members);

    /**
     * Writes an error for one client.
     *
     * @param error the kind of error
     * @param text what to tell the client
     * @return the frame
     */
    String error(ChatError error, String text);
}
