package io.github.wschat.broker;

import java.util.Objects;
import java.util.Optional;

/**
 * Bans and mutes that outlive a connection, by key ({@code ban:id:alice}, {@code ban:ip:192.0.2.7},
 * {@code mute:id:alice}), each until a time. A broker that several nodes share keeps them in its store,
 * so a ban imposed on one node refuses handshakes on every node ({@link Broker#sanctions()}); a single
 * node keeps its own.
 *
 * <p>Thread-safe. Methods may ask a remote store and wait for it, at most for the broker's command
 * timeout; when it cannot answer they throw {@link BrokerUnavailableException}.
 */
public interface Sanctions {

    /**
     * Imposes a sanction; a later one for the same key replaces it.
     *
     * @param key what it applies to
     * @param untilMillis when it ends, in milliseconds since the epoch
     * @param reason why, as the sanctioned member is told
     * @throws BrokerUnavailableException if the store cannot answer
     */
    void impose(String key, long untilMillis, String reason);

    /**
     * Lifts a sanction, if there is one.
     *
     * @param key what it applies to
     * @throws BrokerUnavailableException if the store cannot answer
     */
    void lift(String key);

    /**
     * The sanction in force for a key now.
     *
     * @param key what it applies to
     * @return the sanction, if one is in force
     * @throws BrokerUnavailableException if the store cannot answer
     */
    Optional<Sanction> find(String key);

    /**
     * A sanction in force.
     *
     * @param untilMillis when it ends, in milliseconds since the epoch
     * @param reason why
     */
    record Sanction(long untilMillis, String reason) {
        /**
         * Checks the reason is not null.
         *
         * @param untilMillis when it ends
         * @param reason why
         */
        public Sanction {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
