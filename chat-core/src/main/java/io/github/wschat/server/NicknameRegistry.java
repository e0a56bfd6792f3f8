package io.github.wschat.server;

import io.github.wschat.broker.Roster;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;

/**
 * The nicknames in use on one server; a nickname is held by at most one person (a member key: an
 * identity, or an anonymous member's one connection), compared without regard to case. A person may
 * hold it several times (as a member of several rooms): it is free once every hold is released.
 * Thread-safe.
 *
 * <p>{@link #claimRandom()} follows the seed, {@code user-N} with N random below 100000, but never
 * hands out a nickname in use: it draws again, and when the seed's range is crowded it walks the
 * range from a random point, and past it once all 100000 are taken.
 */
final class NicknameRegistry {

    /** The nickname rule, for documentation. */
    static final String RULE = "1-32 of A-Z a-z 0-9 . _ -";

    static final int SEED_RANGE = 100_000;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final int DRAWS = 32;

    /** Lower-case nickname to its holder and how many holds it has here. */
    private final ConcurrentMap<String, Hold> taken = new ConcurrentHashMap<>();

    private record Hold(String owner, int count) {
    }
    private final IntUnaryOperator random;
    private final Optional<Roster> roster;

    /**
     * @param random given a bound, returns a number in [0, bound)
     */
    NicknameRegistry(IntUnaryOperator random) {
        this(random, Optional.empty());
    }

    /**
     * @param random given a bound, returns a number in [0, bound)
     * @param roster the nicknames of every node, for a server that shares its rooms with others
     */
    NicknameRegistry(IntUnaryOperator random, Optional<Roster> roster) {
        this.random = Objects.requireNonNull(random, "random");
        this.roster = Objects.requireNonNull(roster, "roster");
    }

    String claimRandom(String owner) {
        for (int i = 0; i < DRAWS; i++) {
            String nick = "user-" + random.applyAsInt(SEED_RANGE);
            if (claim(nick, owner)) {
                return nick;
            }
        }
        int start = random.applyAsInt(SEED_RANGE);
        for (long n = 0; ; n++) {
            long number = n < SEED_RANGE ? (start + n) % SEED_RANGE : n;
            String nick = "user-" + number;
            if (claim(nick, owner)) {
                return nick;
            }
        }
    }

    static boolean isValid(String nick) {
        return VALID.matcher(nick).matches();
    }

    static String requireValid(String nick) {
        if (!isValid(nick)) {
            throw new IllegalArgumentException("nickname must be " + RULE + ": " + nick);
        }
        return nick;
    }

    /** Whether anyone holds it, here or on any node sharing its rooms. */
    boolean isTaken(String nick) {
        return isTaken(nick, "");
    }

    /** Whether someone other than {@code owner} holds it: on this server, or on any node sharing its rooms. */
    boolean isTaken(String nick, String owner) {
        Hold hold = taken.get(key(nick));
        if (hold != null) {
            return !hold.owner().equals(owner);
        }
        return roster.map(r -> r.isTaken(nick, owner)).orElse(false);
    }

    /**
     * Claims it for {@code owner} here and, with a roster, on every node: the first hold here claims it
     * in the roster, later ones count.
     *
     * @return false if someone else holds it
     * @throws io.github.wschat.broker.BrokerUnavailableException if the roster cannot answer
     */
    boolean claim(String nick, String owner) {
        String key = key(nick);
        boolean[] first = {false};
        Hold now = taken.compute(key, (k, hold) -> {
            if (hold == null) {
                first[0] = true;
                return new Hold(owner, 1);
            }
            return hold.owner().equals(owner) ? new Hold(owner, hold.count() + 1) : hold;
        });
        if (!now.owner().equals(owner)) {
            return false;
        }
        if (first[0] && roster.isPresent()) {
            boolean claimed = false;
            try {
                claimed = roster.get().claim(nick, owner);
            } finally {
                if (!claimed) {
                    taken.computeIfPresent(key, (k, hold) -> drop(hold, owner));
                }
            }
            return claimed;
        }
        return true;
    }

    /** Releases one of {@code owner}'s holds; the last one here frees it here and in the roster. */
    void release(String nick, String owner) {
        boolean[] freed = {false};
        taken.computeIfPresent(key(nick), (k, hold) -> {
            Hold left = drop(hold, owner);
            freed[0] = left == null;
            return left;
        });
        if (freed[0]) {
            roster.ifPresent(r -> r.release(nick, owner));
        }
    }

    private static Hold drop(Hold hold, String owner) {
        if (!hold.owner().equals(owner)) {
            return hold;
        }
        return hold.count() <= 1 ? null : new Hold(owner, hold.count() - 1);
    }

    int size() {
        return taken.size();
    }

    private static String key(String nick) {
        return nick.toLowerCase(Locale.ROOT);
    }
}
