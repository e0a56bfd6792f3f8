package io.github.wschat.broker.redis;

import java.util.Locale;

/**
 * Where everything lives in Redis, for one key prefix P. A room's keys carry the room in braces, so
 * that a Redis Cluster keeps them in one hash slot: {@code P:{R}:seq} (the room's counter),
 * {@code P:{R}:events} (its stream), {@code P:{R}:epoch} (its epoch), {@code P:{R}:bytes} (its
 * stream's size), {@code P:{R}:members} (nick to member key), {@code P:{R}:people} (member key to nick),
 * {@code P:{R}:devices} ({@code key\tnode} to that node's devices of the member), {@code P:{R}:counts}
 * (member key to its devices on every node). Beside them:
 * {@code P:epoch} (the marker of Redis' data), {@code P:nick:{nick}} (who holds a nickname: a hash,
 * {@code o} the holder's member key, and one field per node that holds it),
 * {@code P:nodes} (the node leases), {@code P:sanction:{key}} (bans and mutes, expiring with them), {@code P:node:{id}:members} (a node's members, for reaping), and
 * {@code P:handover:E:…} (the handover of a lost epoch E). Immutable.
 */
final class RoomKeys {

    private final String prefix;

    RoomKeys(String prefix) {
        this.prefix = prefix;
    }

    String seq(String room) {
        return prefix + ":{" + room + "}:seq";
    }

    String events(String room) {
        return prefix + ":{" + room + "}:events";
    }

    /** The room's epoch: a hash, {@code n} its name, {@code s} its first sequence number (see {@link RoomScripts}). */
    String roomEpoch(String room) {
        return prefix + ":{" + room + "}:epoch";
    }

    /** How many bytes the room's stream holds, for its budget. */
    String bytes(String room) {
        return prefix + ":{" + room + "}:bytes";
    }

    /** The sharded Pub/Sub channel on which each new entry of the room's stream is announced, on a Redis Cluster. */
    String wake(String room) {
        return prefix + ":{" + room + "}:wake";
    }

    /** The room a wake channel names. */
    String roomOfWake(String channel) {
        return channel.substring(prefix.length() + 2, channel.length() - "}:wake".length());
    }

    String members(String room) {
        return prefix + ":{" + room + "}:members";
    }

    /** Who the room's members are, for those that joined with an identity: nick to {@code id\troles}. */
    String identities(String room) {
        return prefix + ":{" + room + "}:identities";
    }

    /** The room's members by member key: key to nickname. */
    String people(String room) {
        return prefix + ":{" + room + "}:people";
    }

    /** Each member's devices per node: {@code key\tnode} to a count. */
    String devices(String room) {
        return prefix + ":{" + room + "}:devices";
    }

    /** Each member's devices on every node: key to a count. */
    String counts(String room) {
        return prefix + ":{" + room + "}:counts";
    }

    /** The pattern of every room's members hash, for SCAN. */
    String allMembers() {
        return prefix + ":{*}:members";
    }

    /** The room a members hash key names. */
    String roomOfMembers(String key) {
        return key.substring(prefix.length() + 2, key.length() - "}:members".length());
    }

    /** Where the place of the room's event published with this key is kept (see {@code publishOnce}). */
    String once(String room, String key) {
        return prefix + ":{" + room + "}:once:" + key;
    }

    String epoch() {
        return prefix + ":epoch";
    }

    String nick(String nick) {
        return prefix + ":nick:{" + nick.toLowerCase(Locale.ROOT) + "}";
    }

    /** A ban or mute, e.g. {@code ban:id:alice}: {@code P:sanction:{key}}. */
    String sanction(String key) {
        return prefix + ":sanction:{" + key + "}";
    }

    String nodes() {
        return prefix + ":nodes";
    }

    String nodeMembers(String node) {
        return prefix + ":node:{" + node + "}:members";
    }

    /** The events of room R that nodes kept of the lost epoch E. */
    String handoverEvents(String epoch, String room) {
        return prefix + ":handover:" + epoch + ":{" + room + "}";
    }

    /** The nodes that were live when the epoch was lost ({@code known}), and those that handed over. */
    String handoverNodes(String epoch, String which) {
        return prefix + ":handover:" + epoch + ":" + which;
    }
}
