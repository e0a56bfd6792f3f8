package io.github.wschat.server;

import io.github.wschat.broker.Roster;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;
import java.util.regex.Pattern;

/**
 * The nicknames in use on one server; a nickname is held by at most one connection, compared
 * without regard to case. Thread-safe.
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

    private final Set<String> taken = ConcurrentHashMap.newKeySet();
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

    String claimRandom() {
        for (int i = 0; i < DRAWS; i++) {
            String nick = "user-" + random.applyAsInt(SEED_RANGE);
            if (claim(nick)) {
                return nick;
            }
        }
        int start = random.applyAsInt(SEED_RANGE);
        for (long n = 0; ; n++) {
            long number = n < SEED_RANGE ? (start + n) % SEED_RANGE : n;
            String nick = "user-" + number;
            if (claim(nick)) {
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

    /** Whether a connection holds it: on this server, or on any node sharing its rooms. */
    boolean isTaken(String nick) {
        return taken.contains(key(nick)) || roster.map(r -> r.isTaken(nick)).orElse(false);
    }

    /**
     * Claims it here and, with a roster, on every node.
     *
     * @throws io.github.wschat.broker.BrokerUnavailableException if the roster cannot answer
     */
    boolean claim(String nick) {
        String key = key(nick);
        if (!taken.add(key)) {
            return false;
        }
        if (roster.isPresent()) {
            boolean claimed = false;
            try {
                claimed = roster.get().claim(nick);
            } finally {
                if (!claimed) {
                    taken.remove(key);
                }
            }
            return claimed;
        }
        return true;
    }

    void release(String nick) {
        if (taken.remove(key(nick))) {
            roster.ifPresent(r -> r.release(nick));
        }
    }

    int size() {
        return taken.size();
    }

    private static String key(String nick) {
        return nick.toLowerCase(Locale.ROOT);
    }
}
