package io.github.wschat.presence;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How many connections each identity holds on this node, bounded: one stolen token cannot open ten
 * thousand sockets. Thread-safe.
 */
public final class ConnectionQuota {

    /** The default bound: ten connections (tabs, phones) per identity. */
    public static final int DEFAULT = 10;

    private final int max;
    private final ConcurrentMap<String, Integer> held = new ConcurrentHashMap<>();

    /**
     * @param max how many connections one identity may hold at once, positive
     */
    public ConnectionQuota(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the quota must be positive: " + max);
        }
        this.max = max;
    }

    /**
     * @return the bound
     */
    public int max() {
        return max;
    }

    /**
     * Whether the identity may open one more connection now; it takes none (see {@link #acquire}).
     *
     * @param identity the identity's id
     * @return whether it holds fewer than the bound
     */
    public boolean allows(String identity) {
        return held.getOrDefault(Objects.requireNonNull(identity, "identity"), 0) < max;
    }

    /**
     * Takes one connection for the identity, if it holds fewer than the bound.
     *
     * @param identity the identity's id
     * @return whether it was taken; give it back with {@link #release} when the connection closes
     */
    public boolean acquire(String identity) {
        boolean[] taken = {false};
        held.compute(Objects.requireNonNull(identity, "identity"), (id, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /**
     * Gives back one connection the identity took.
     *
     * @param identity the identity's id
     */
    public void release(String identity) {
        held.computeIfPresent(identity, (id, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * @param identity the identity's id
     * @return how many connections it holds
     */
    public int held(String identity) {
        return held.getOrDefault(identity, 0);
    }
}
