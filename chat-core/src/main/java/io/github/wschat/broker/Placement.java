package io.github.wschat.broker;

import java.util.Objects;

/**
 * Where an event took its place in its room's order: what a broker answers to
 * {@link Broker#publishOnce}, and what a client's acknowledgement names. Immutable.
 *
 * @param epoch the room's epoch the sequence counts in (see {@link Broker#epoch})
 * @param sequence the event's position in the room's order, from 1
 * @param repeated true when the key had been placed before: the event was not placed again, and
 *     this is the first placement
 */
public record Placement(String epoch, long sequence, boolean repeated) {

    /**
     * @param epoch the room's epoch the sequence counts in
     * @param sequence the event's position, from 1
     * @param repeated true when the key had been placed before
     * @throws NullPointerException if the epoch is null
     * @throws IllegalArgumentException if the sequence is below 1
     */
    public Placement {
        Objects.requireNonNull(epoch, "epoch");
        if (sequence < 1) {
            throw new IllegalArgumentException("a sequence counts from 1: " + sequence);
        }
    }

    /**
     * The same place, told as a repeat.
     *
     * @return this placement with {@code repeated} true
     */
    public Placement asRepeat() {
        return repeated ? this : new Placement(epoch, sequence, true);
    }
}
