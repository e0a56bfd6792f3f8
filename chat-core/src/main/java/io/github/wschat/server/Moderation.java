package io.github.wschat.server;

import io.github.wschat.CloseCodes;
import io.github.wschat.app.Identity;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.Sanctions;
import io.github.wschat.protocol.Durations;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out kicks, bans and mutes on the members this node holds, when the room delivers them (in
 * the room's order, whichever node issued them), and keeps bans and mutes beyond the connection, by
 * identity (or, for an anonymous member, its address), in the sanctions every node shares.
 * Thread-safe.
 */
final class Moderation {

    private static final Logger log = LoggerFactory.getLogger(Moderation.class);

    private final Sanctions sanctions;
    // Writes to a shared store wait for it: never on the thread that delivers the room's events.
    private final Executor store;

    Moderation(Sanctions sanctions, Executor store) {
        this.sanctions = sanctions;
        this.store = store;
    }

    /** The thread that waits for the shared store (or, on one node, the caller's). */
    Executor executor() {
        return store;
    }

    /** Moderation on one node alone: sanctions in memory, kept at once. */
    static Moderation local() {
        return new Moderation(new LocalSanctions(java.time.Clock.systemUTC()), Runnable::run);
    }

    /**
     * Whether this node's own store holds no sanction at all: a connect storm into a chat with no bans
     * builds no keys for the lookups. A shared store is always asked.
     */
    private boolean noneHeld() {
        return sanctions instanceof LocalSanctions local && local.isEmpty();
    }

    /** Whom a sanction names: the identity, or for an anonymous member its address (null if it has none). */
    static String keyOf(Identity identity, InetAddress address) {
        if (!identity.isAnonymous()) {
            return "id:" + identity.id();
        }
        return address == null ? null : "ip:" + address.getHostAddress();
    }

    /**
     * Why a handshake from this identity and address is refused, if either is banned.
     *
     * @throws BrokerUnavailableException if the shared store cannot answer
     */
    Optional<String> banned(Identity identity, InetAddress address) {
        if (noneHeld()) {
            return Optional.empty();
        }
        // A ban by address given for an anonymous member shuts out anonymous members only, not known
        // users behind the same address; a moderator's explicit address ban ("ban:addr:") shuts out all.
        String key = keyOf(identity, address);
        Optional<Sanctions.Sanction> ban = key == null ? Optional.empty() : sanctions.find("ban:" + key);
        if (ban.isEmpty() && address != null) {
            ban = sanctions.find("ban:addr:" + address.getHostAddress());
        }
        return ban.map(b -> "banned for " + Durations.describe(b.untilMillis() - System.currentTimeMillis()) + ": " + b.reason());
    }

    /** Until when a joining member stays muted by an earlier mute: 0 if none, or the store cannot say. */
    long mutedUntil(Identity identity, InetAddress address) {
        String key = noneHeld() ? null : keyOf(identity, address);
        if (key == null) {
            return 0;
        }
        try {
            return sanctions.find("mute:" + key).map(Sanctions.Sanction::untilMillis).orElse(0L);
        } catch (BrokerUnavailableException e) {
            log.warn("Could not read the mutes of {}: {}", key, e.getMessage());
            return 0;
        }
    }

    /** Until when a mute placed at {@code time} lasts, in epoch milliseconds; 0 for a mute lifted. */
    static long untilOf(RoomEvent.Muted muted, long time) {
        return muted.millis() == 0 ? 0 : time + muted.millis();
    }

    /**
     * A member this node holds was muted, or its mute lifted, at {@code time}: kept in the store, for
     * its later joins (the room mutes the member itself, before the notice goes out).
     */
    void muted(Member member, RoomEvent.Muted muted, long time) {
        long until = untilOf(muted, time);
        String key = keyOf(member.identity(), member.address());
        if (key != null) {
            keep(() -> {
                if (until == 0) {
                    sanctions.lift("mute:" + key);
                } else {
                    sanctions.impose("mute:" + key, until, muted.reason());
                }
            });
        }
    }

    /**
     * A member this node holds was removed (and banned, perhaps) at {@code time}: each of its devices
     * here is closed now.
     */
    void removed(Member member, List<Device> devices, RoomEvent.Removed removed, long time) {
        String why = (removed.banned() > 0 ? "banned for " + Durations.describe(removed.banned()) : "removed") + ": "
                + removed.reason();
        String key = keyOf(member.identity(), member.address());
        if (removed.banned() == 0 || key == null) {
            devices.forEach(device -> device.connection().close(CloseCodes.REMOVED, fit(why)));
            return;
        }
        // Closed once the ban is kept: whoever sees the close and reconnects is refused.
        InetAddress address = member.address();
        keep(() -> {
            sanctions.impose("ban:" + key, time + removed.banned(), removed.reason());
            if (removed.address() && address != null) {
                sanctions.impose("ban:addr:" + address.getHostAddress(), time + removed.banned(), removed.reason());
            }
        }, () -> devices.forEach(device -> device.connection().close(CloseCodes.BANNED, fit(why))));
    }

    /** A close reason cut to what a close frame holds. */
    static String fit(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= CloseCodes.MAX_REASON_BYTES) {
            return reason;
        }
        String cut = reason;
        while (cut.getBytes(StandardCharsets.UTF_8).length > CloseCodes.MAX_REASON_BYTES - 3) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }

    private void keep(Runnable write) {
        keep(write, () -> { });
    }

    private void keep(Runnable write, Runnable then) {
        store.execute(() -> {
            try {
                write.run();
            } catch (RuntimeException e) {
                log.warn("A ban or mute was not kept beyond the connection: {}", e.toString());
            } finally {
                then.run();
            }
        });
    }
}
