package io.github.wschat.broker.redis;

import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.broker.Roster;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nicknames and presence across the nodes, in Redis, with leases: each node's nicknames expire
 * unless it renews them, and each node renews its own entry in the node table. When a node stops
 * renewing (killed), any survivor reaps it: for each of its members, one script on the member's room
 * removes the member and appends its leave to the room's stream, only if the member is still the dead
 * node's — so the leave is announced once, however many survivors reap at the same time.
 *
 * <p>Keys, for the prefix P: {@code P:nick:{lower-case nick}} (a string, the holding node's id, with a
 * TTL of one lease), {@code P:{R}:members} (a hash, nick to node id, for room R, beside the room's
 * stream), {@code P:nodes} (a sorted set, node id to the time its lease ends), {@code P:node:{id}:members}
 * (a set of {@code room\nnick}, for reaping), {@code P:{R}:identities} (a hash, nick to
 * {@code id\troles} for members that joined with an identity).
 */
final class RedisRoster implements Roster {

    private static final Logger log = LoggerFactory.getLogger(RedisRoster.class);

    /** Deletes KEYS[1] if it holds ARGV[1]. */
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private final RedisLink connection;
    private final String nodeId;
    private final long leaseMillis;
    private final RoomScripts scripts;
    private final RoomKeys keys;
    /** The nicknames this node holds, by lower case. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    /** The members of this node, {@code room\nnick}. */
    private final Map<String, String> present = new ConcurrentHashMap<>();
    private volatile Set<String> liveNodes;
    /** No node is reaped before this time (ms): the others may still be coming back from an outage. */
    private volatile long reapNotBefore;
    // Set once by the broker before the first lease round: who hears the leaves this node announces.
    private volatile Broker.PlacedListener placed = (room, epoch, sequence, time, event) -> { };

    RedisRoster(RedisLink connection, RoomKeys keys, String nodeId, Duration lease,
            RoomScripts scripts) {
        this.connection = connection;
        this.keys = keys;
        this.nodeId = nodeId;
        this.leaseMillis = lease.toMillis();
        this.scripts = scripts;
        this.liveNodes = Set.of(nodeId);
    }

    private String nickKey(String nick) {
        return keys.nick(nick);
    }

    /** Who hears the leaves of dead nodes' members that this node places. */
    void tellPlaced(Broker.PlacedListener listener) {
        this.placed = listener;
    }

    String membersKey(String room) {
        return keys.members(room);
    }

    private String nodesKey() {
        return keys.nodes();
    }

    private String nodeMembersKey(String node) {
        return keys.nodeMembers(node);
    }

    private static BrokerUnavailableException unavailable(String what, Exception e) {
        return new BrokerUnavailableException("Redis did not answer: " + what, e);
    }

    @Override
    public boolean claim(String nick) {
        try {
            String ok = connection.sync().set(nickKey(nick), nodeId, SetArgs.Builder.nx().px(leaseMillis));
            if ("OK".equals(ok)) {
                held.put(nick.toLowerCase(Locale.ROOT), nick);
                return true;
            }
            return false;
        } catch (RedisException e) {
            throw unavailable("claim " + nick, e);
        }
    }

    @Override
    public boolean isTaken(String nick) {
        try {
            return connection.sync().exists(nickKey(nick)) > 0;
        } catch (RedisException e) {
            throw unavailable("is " + nick + " taken", e);
        }
    }

    @Override
    public void release(String nick) {
        held.remove(nick.toLowerCase(Locale.ROOT));
        try {
            connection.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {nickKey(nick)}, nodeId);
        } catch (RuntimeException e) {
            log.debug("Could not release {}; its lease will end", nick, e);
        }
    }

    @Override
    public void joined(String room, String nick) {
        joined(room, nick, "", Set.of());
    }

    /**
     * Keeps the identity beside the member, for {@link #entries}; an anonymous member's is not kept. The
     * room's keys lose the time to live its last leave gave them: a room with members is kept.
     */
    @Override
    public void joined(String room, String nick, String identity, Set<String> roles) {
        String who = identity.isEmpty() ? "" : identity + "\t" + String.join(",", roles);
        present.put(room + "\n" + nick, who);
        try {
            var async = connection.async();
            var hash = async.hset(membersKey(room), nick, nodeId);
            var set = async.sadd(nodeMembersKey(nodeId), room + "\n" + nick);
            if (!who.isEmpty()) {
                async.hset(keys.identities(room), nick, who).get();
            }
            // After the member is in the hash: a last leave that runs between sees it, and sets no time to live.
            List<io.lettuce.core.RedisFuture<Boolean>> kept = new ArrayList<>();
            for (String key : scripts.retained(room)) {
                kept.add(async.persist(key));
            }
            hash.get();
            set.get();
            for (var persisted : kept) {
                persisted.get();
            }
        } catch (RedisException | java.util.concurrent.ExecutionException e) {
            throw unavailable(nick + " joined " + room, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void left(String room, String nick) {
        present.remove(room + "\n" + nick);
        try {
            var async = connection.async();
            async.eval(RoomScripts.LEAVE, ScriptOutputType.INTEGER, scripts.keys(room, keys.identities(room)),
                    scripts.args(room, nodeId, nick));
            async.srem(nodeMembersKey(nodeId), room + "\n" + nick);
        } catch (RuntimeException e) {
            log.debug("Could not remove {} from {}; reaping this node will", nick, room, e);
        }
    }

    @Override
    public List<String> members(String room) {
        try {
            return new ArrayList<>(connection.sync().hkeys(membersKey(room)));
        } catch (RedisException e) {
            throw unavailable("the members of " + room, e);
        }
    }

    @Override
    public List<Entry> entries(String room) {
        try {
            var async = connection.async();
            var members = async.hkeys(membersKey(room));
            var identities = async.hgetall(keys.identities(room));
            Map<String, String> who = identities.get();
            List<Entry> entries = new ArrayList<>();
            for (String nick : members.get()) {
                String kept = who.getOrDefault(nick, "");
                int tab = kept.indexOf('\t');
                entries.add(tab < 0 ? new Entry(nick, "", Set.of()) : new Entry(nick, kept.substring(0, tab),
                        kept.length() == tab + 1 ? Set.of() : Set.of(kept.substring(tab + 1).split(","))));
            }
            return entries;
        } catch (RedisException | java.util.concurrent.ExecutionException e) {
            throw unavailable("the members of " + room, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("the members of " + room, e);
        }
    }

    /** By a SCAN of the rooms' member hashes: one pass over the keyspace, for an occasional question. */
    @Override
    public Set<String> rooms() {
        try {
            Set<String> rooms = new java.util.TreeSet<>();
            var sync = connection.sync();
            io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
            do {
                var page = sync.scan(cursor, io.lettuce.core.ScanArgs.Builder.matches(keys.allMembers()).limit(500));
                page.getKeys().forEach(key -> rooms.add(keys.roomOfMembers(key)));
                cursor = page;
            } while (!cursor.isFinished());
            return rooms;
        } catch (RedisException e) {
            throw unavailable("the rooms", e);
        }
    }

    /** Renews this node's lease and its nicknames' leases, then reaps the nodes whose lease ended. */
    void renewAndReap() {
        long now = System.currentTimeMillis();
        var async = connection.async();
        async.zadd(nodesKey(), (double) (now + leaseMillis), nodeId);
        for (String lower : held.keySet()) {
            async.pexpire(nickKey(lower), leaseMillis);
        }
        Set<String> live = new HashSet<>();
        live.add(nodeId);
        for (ScoredValue<String> node : connection.sync().zrangeWithScores(nodesKey(), 0, -1)) {
            if (node.getScore() > now) {
                live.add(node.getValue());
            } else if (!node.getValue().equals(nodeId) && now >= reapNotBefore) {
                reap(node.getValue());
            }
        }
        liveNodes = Set.copyOf(live);
    }

    /** A connection to Redis dropped: no node is reaped until this node is back ({@link #backFromOutage}). */
    void outage() {
        reapNotBefore = Long.MAX_VALUE;
    }

    /**
     * Redis was away and is back: every node's lease may have ended meanwhile, and the others may not
     * have renewed theirs yet. So no node is reaped for one lease from now; one that died meanwhile is
     * reaped a lease later than otherwise.
     */
    void backFromOutage() {
        reapNotBefore = System.currentTimeMillis() + leaseMillis;
        renewAndReap();
    }

    /**
     * The nodes whose leases were running when this node last renewed its own, itself among them: the
     * nodes that may have read a room further than this one when Redis restarts empty.
     */
    Set<String> liveNodes() {
        return liveNodes;
    }

    String nodeId() {
        return nodeId;
    }

    private void reap(String node) {
        var sync = connection.sync();
        int announced = 0;
        for (String entry : sync.smembers(nodeMembersKey(node))) {
            int cut = entry.indexOf('\n');
            String room = entry.substring(0, cut);
            String nick = entry.substring(cut + 1);
            // The name is free before its leave is in the stream, as when a member leaves by itself.
            sync.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {nickKey(nick)}, node);
            List<Object> reaped = sync.eval(RoomScripts.REAP, ScriptOutputType.MULTI,
                    scripts.keys(room, keys.identities(room)), scripts.args(room, node, nick));
            if (reaped != null && reaped.size() == 3) { // else another survivor announced it: empty
                announced++;
                try {
                    placed.placed(room, (String) reaped.get(2), (Long) reaped.get(0), (Long) reaped.get(1),
                            new RoomEvent.Left(nick));
                } catch (RuntimeException e) {
                    log.warn("A placed-listener threw on the leave of {} in room {}", nick, room, e);
                }
            }
        }
        sync.del(nodeMembersKey(node));
        sync.zrem(nodesKey(), node);
        log.warn("Node {} stopped renewing its lease: reaped, {} of its members announced as left by this node", node,
                announced);
    }

    /**
     * Registers this node, and everything it holds again (after Redis restarted empty); learns which
     * nodes are live.
     */
    void register() {
        var sync = connection.sync();
        long now = System.currentTimeMillis();
        sync.zadd(nodesKey(), (double) (now + leaseMillis), nodeId);
        Set<String> live = new HashSet<>(liveNodes);
        sync.zrangebyscore(nodesKey(), io.lettuce.core.Range.create((double) now, Double.POSITIVE_INFINITY))
                .forEach(live::add);
        liveNodes = Set.copyOf(live);
        for (String nick : held.values()) {
            sync.set(nickKey(nick), nodeId, SetArgs.Builder.nx().px(leaseMillis));
        }
        present.forEach((entry, who) -> {
            int cut = entry.indexOf('\n');
            sync.hset(membersKey(entry.substring(0, cut)), entry.substring(cut + 1), nodeId);
            if (!who.isEmpty()) {
                sync.hset(keys.identities(entry.substring(0, cut)), entry.substring(cut + 1), who);
            }
            sync.sadd(nodeMembersKey(nodeId), entry);
        });
    }

    /** Leaves the node table on a clean stop; members have left by then. */
    void unregister() {
        try {
            var sync = connection.sync();
            for (String nick : held.values()) {
                sync.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {nickKey(nick)}, nodeId);
            }
            sync.del(nodeMembersKey(nodeId));
            sync.zrem(nodesKey(), nodeId);
        } catch (RedisException e) {
            log.debug("Could not leave the node table; the others will reap this node", e);
        }
    }
}
