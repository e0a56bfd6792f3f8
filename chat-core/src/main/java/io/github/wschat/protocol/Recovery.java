package io.github.wschat.protocol;

import java.util.Objects;

/**
 * Where a joiner stands in the room's order, for its welcome: the room's current epoch, and, when the
 * client reconnected saying the last event it saw ({@code ?since=EPOCH:SEQ}), whether it missed
 * events the server no longer holds. Immutable.
 *
 * @param epoch the room's epoch: it changes when earlier events are gone (a single server restarted,
 *     or a shared broker's store restarted empty); sequence numbers count within an epoch
 * @param resumed whether the client asked to resume after an event it saw
 * @param missed whether, having asked, it missed events: its epoch is gone, or events after its
 *     position are older than the history kept; the history then is the room's recent history
 */
public record Recovery(String epoch, boolean resumed, boolean missed) {

    /**
     * Checks the epoch is not null.
     *
     * @param epoch the room's epoch
     * @param resumed whether the client asked to resume
     * @param missed whether it missed events
     */
    public Recovery {
        Objects.requireNonNull(epoch, "epoch");
    }
}
