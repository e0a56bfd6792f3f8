package io.github.wschat.client;

import java.util.Objects;

/**
 * The server's acknowledgement of a send: where its line took its place in the room's order. The
 * line with this epoch and sequence is the one the listener received (or, for a line placed while
 * this client was away, the one in the history it resumed with). Immutable.
 *
 * @param epoch the room's epoch; empty when the command placed nothing (a rename to the name one has)
 * @param sequence the line's place in the epoch, from 1; 0 when the command placed nothing
 */
public record Ack(String epoch, long sequence) {

    /** The acknowledgement of a command that was carried out and placed nothing. */
    public static final Ack NOTHING_PLACED = new Ack("", 0);

    /**
     * @param epoch the room's epoch; empty when the command placed nothing
     * @param sequence the line's place, from 1; 0 when the command placed nothing
     * @throws NullPointerException if the epoch is null
     * @throws IllegalArgumentException if the sequence is negative
     */
    public Ack {
        Objects.requireNonNull(epoch, "epoch");
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence: " + sequence);
        }
    }

    /**
     * @return whether the command placed a line (false for {@link #NOTHING_PLACED})
     */
    public boolean placed() {
        return sequence > 0;
    }
}
