package io.github.wschat.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The sends not yet answered, in the order they were made: each is sent again with its id on every new
 * connection until the server acknowledges or refuses it, so that it is placed exactly once. Bounded.
 * Confined to the client's thread.
 */
final class Outbox {

    /** One send: its id, its frame, and what waits for its answer. */
    static final class Pending {
        final String id;
        final String frame;
        final CompletableFuture<Ack> acked;
        final CompletableFuture<List<String>> members;

        Pending(String id, String frame, CompletableFuture<Ack> acked, CompletableFuture<List<String>> members) {
            this.id = id;
            this.frame = frame;
            this.acked = acked;
            this.members = members;
        }

        void fail(Throwable error) {
            (acked != null ? acked : members).completeExceptionally(error);
        }
    }

    private final int bound;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    Outbox(int bound) {
        this.bound = bound;
    }

    /** Takes a send, or fails it at once when {@code bound} sends are waiting already. */
    boolean add(Pending send) {
        if (pending.size() >= bound) {
            send.fail(new RejectedExecutionException(bound + " sends are waiting for the server already "
                    + "(the client is disconnected, or the server is slow): this one was not taken"));
            return false;
        }
        pending.put(send.id, send);
        return true;
    }

    /** The sends waiting, in the order made. */
    List<Pending> waiting() {
        return new ArrayList<>(pending.values());
    }

    Pending get(String id) {
        return pending.get(id);
    }

    int size() {
        return pending.size();
    }

    void acked(String id, Ack ack) {
        Pending send = pending.remove(id);
        if (send != null && send.acked != null) {
            send.acked.complete(ack);
        } else if (send != null) {
            send.members.complete(List.of());
        }
    }

    void members(String id, List<String> members) {
        Pending send = pending.remove(id);
        if (send != null && send.members != null) {
            send.members.complete(List.copyOf(members));
        } else if (send != null) {
            send.acked.complete(Ack.NOTHING_PLACED);
        }
    }

    void refused(String id, Throwable error) {
        Pending send = pending.remove(id);
        if (send != null) {
            send.fail(error);
        }
    }

    /** Fails every send waiting: the client closed for good. */
    void failAll(Throwable error) {
        List<Pending> all = waiting();
        pending.clear();
        all.forEach(send -> send.fail(error));
    }
}
