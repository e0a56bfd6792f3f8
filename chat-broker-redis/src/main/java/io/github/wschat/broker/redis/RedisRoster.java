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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nicknames and presence across the nodes, in Redis, with leases: each node's nicknames expire
 * unless it (or another node holding the same person's name) renews them, and each node renews its
 * own entry in the node table. A member is a person with devices: the room counts each member's
 * devices per node and in all, and one script per arrival or departure decides, in the room's slot and
 * in the same step as it appends the join or leave, whether the member arrived (its first device on any
 * node) or left (its last). When a node stops renewing (killed), any survivor reaps it: for each of its
 * members, one script removes that node's devices of the member and, where they were its last, the
 * member, appending its leave — so a leave is announced once, and only when no other node holds a
 * device of the member, however many survivors reap at the same time.
 *
 * <p>Keys, for the prefix P: {@code P:nick:{lower-case nick}} (a hash: {@code o} the holder's member
 * key, and a field per node that holds it; a TTL of one lease), {@code P:{R}:members} (nick to member
 * key), {@code P:{R}:people} (member key to nick), {@code P:{R}:devices} ({@code key\tnode} to a count),
 * {@code P:{R}:counts} (member key to its devices on all nodes), {@code P:{R}:identities} (nick to
 * {@code id\troles} for members with an identity), {@code P:nodes} (a sorted set, node id to the time
 * its lease ends), {@code P:node:{id}:members} (a set of {@code room\nmember key}, for reaping).
 */
final class RedisRoster implements Roster {

    private static final Logger log = LoggerFactory.getLogger(RedisRoster.class);

    /** Holds nickname KEYS[1] for member ARGV[1] on node ARGV[2], for ARGV[3] ms, unless another member holds it. */
    private static final String CLAIM = String.join("\n",
            "local o = redis.call('HGET', KEYS[1], 'o')",
            "if o and o ~= ARGV[1] then return 0 end",
            "redis.call('HSET', KEYS[1], 'o', ARGV[1], ARGV[2], '1')",
            "redis.call('PEXPIRE', KEYS[1], ARGV[3])",
            "return 1");
    /** Node ARGV[2] lets go of nickname KEYS[1] (for member ARGV[1], if given); free once no node holds it. */
    private static final String RELEASE = String.join("\n",
            "if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] then return 0 end",
            "redis.call('HDEL', KEYS[1], ARGV[2])",
            "if redis.call('HLEN', KEYS[1]) <= 1 then redis.call('DEL', KEYS[1]) end",
            "return 1");

    private final RedisLink connection;
    private final String nodeId;
    private final long leaseMillis;
    private final RoomScripts scripts;
    private final RoomKeys keys;
    /** The nicknames this node holds, by lower case: the nickname and its holder's member key. */
    private final Map<String, String[]> held = new ConcurrentHashMap<>();
    /** The members of this node, by {@code room\nmember key}: nick, identity, devices here. */
    private final Map<String, Present> present = new ConcurrentHashMap<>();
    private volatile Set<String> liveNodes;
    /** No node is reaped before this time (ms): the others may still be coming back from an outage. */
    private volatile long reapNotBefore;
    // Set once by the broker before the first lease round: runs the presence scripts, telling the joins and
    // leaves they place in the order of this node's appends.
    private volatile Placing placing = (room, script, keys, args, eventOf) -> { throw new IllegalStateException("not started"); };

    /** Runs a presence script that may place a join or leave: {@link StreamAppender#presence}. */
    interface Placing {
        List<Object> run(String room, String script, String[] keys, String[] args,
                java.util.function.Function<String, RoomEvent> eventOf);
    }

    /** A member of this node in a room: its name, who it is ({@code id\troles}, or empty), its devices here. */
    private record Present(String nick, String who, int devices) {
    }

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

    /** Where the presence scripts run: the joins and leaves they place are told in order ({@link StreamAppender}). */
    void placeThrough(Placing placing) {
        this.placing = placing;
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

    /** An anonymous claim: a holder of its own, that no one else shares. */
    @Override
    public boolean claim(String nick) {
        return claim(nick, "n:" + nodeId + ":" + nick.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean claim(String nick, String owner) {
        try {
            Long ok = connection.sync().eval(CLAIM, ScriptOutputType.INTEGER, new String[] {nickKey(nick)}, owner, nodeId,
                    Long.toString(leaseMillis));
            if (ok != null && ok == 1) {
                held.put(nick.toLowerCase(Locale.ROOT), new String[] {nick, owner});
                return true;
            }
            return false;
        } catch (RedisException e) {
            throw unavailable("claim " + nick, e);
        }
    }

    @Override
    public boolean isTaken(String nick) {
        return isTaken(nick, "");
    }

    @Override
    public boolean isTaken(String nick, String owner) {
        try {
            String holder = connection.sync().hget(nickKey(nick), "o");
            return holder != null && !holder.equals(owner);
        } catch (RedisException e) {
            throw unavailable("is " + nick + " taken", e);
        }
    }

    @Override
    public void release(String nick) {
        release(nick, "");
    }

    @Override
    public void release(String nick, String owner) {
        held.remove(nick.toLowerCase(Locale.ROOT));
        try {
            connection.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {nickKey(nick)}, owner, nodeId);
        } catch (RuntimeException e) {
            log.debug("Could not release {}; its lease will end", nick, e);
        }
    }

    @Override
    public void joined(String room, String nick) {
        joined(room, nick, "", Set.of());
    }

    /** A member of one device, known by its nickname (a caller that knows no member keys). */
    @Override
    public void joined(String room, String nick, String identity, Set<String> roles) {
        arrived(room, "n:" + nick, nick, identity, roles, true, false);
    }

    @Override
    public void left(String room, String nick) {
        departed(room, "n:" + nick, nick, true);
    }

    /**
     * Counts the device, in the room and in this node's members (for reaping); the script that counts it
     * decides whether the member arrived, and places its join then.
     */
    @Override
    public Change arrived(String room, String member, String nick, String identity, Set<String> roles,
            boolean firstHere, boolean announce) {
        String who = identity.isEmpty() ? "" : identity + "\t" + String.join(",", roles);
        present.merge(room + "\n" + member, new Present(nick, who, 1),
                (was, one) -> new Present(was.nick(), was.who(), was.devices() + 1));
        try {
            var async = connection.async();
            var set = async.sadd(nodeMembersKey(nodeId), room + "\n" + member);
            List<Object> answer = placing.run(room, RoomScripts.ARRIVE, scripts.presenceKeys(room),
                    scripts.args(room, nodeId, member, nick, who, announce ? "1" : "0"), RoomEvent.Joined::new);
            set.get();
            if (answer.size() == 4) {
                return Change.PLACED;
            }
            String named = (String) answer.get(0);
            if (!named.equals(nick)) {
                log.info("Member {} of room {} arrived here as {} while it is {} on another node", member, room, nick,
                        named);
            }
            return Change.NONE;
        } catch (RedisException | java.util.concurrent.ExecutionException e) {
            throw unavailable(nick + " joined " + room, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(nick + " joined " + room, e);
        }
    }

    /** Uncounts the device; the script that uncounts it places the member's leave where it was the last anywhere. */
    @Override
    public Change departed(String room, String member, String nick, boolean lastHere) {
        String entry = room + "\n" + member;
        present.computeIfPresent(entry, (k, was) -> was.devices() <= 1 ? null
                : new Present(was.nick(), was.who(), was.devices() - 1));
        try {
            if (lastHere) {
                connection.async().srem(nodeMembersKey(nodeId), entry);
            }
            List<Object> answer = placing.run(room, RoomScripts.DEPART, scripts.presenceKeys(room),
                    scripts.args(room, nodeId, member), RoomEvent.Left::new);
            if (answer.size() == 4) {
                return Change.PLACED;
            }
            return Change.NONE;
        } catch (RuntimeException e) {
            // Its lease ends, and a survivor reaps this node's devices (this one among them) then.
            log.warn("Could not remove a device of {} from {}; reaping this node will: {}", nick, room, e.toString());
            return Change.NONE;
        }
    }

    @Override
    public void renamed(String room, String member, String from, String to, String identity, Set<String> roles) {
        present.computeIfPresent(room + "\n" + member, (k, was) -> new Present(to, was.who(), was.devices()));
        try {
            connection.sync().eval(RoomScripts.RENAME, ScriptOutputType.INTEGER, scripts.presenceKeys(room),
                    scripts.args(room, nodeId, member, from, to));
        } catch (RedisException e) {
            throw unavailable(from + " renamed in " + room, e);
        }
    }

    @Override
    public Optional<String> nickOf(String room, String member) {
        try {
            return Optional.ofNullable(connection.sync().hget(keys.people(room), member));
        } catch (RedisException e) {
            throw unavailable("the members of " + room, e);
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
            var members = async.hgetall(membersKey(room));
            var identities = async.hgetall(keys.identities(room));
            var counts = async.hgetall(keys.counts(room));
            Map<String, String> who = identities.get();
            Map<String, String> devices = counts.get();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, String> member : members.get().entrySet()) {
                String nick = member.getKey();
                int count = Integer.parseInt(devices.getOrDefault(member.getValue(), "1"));
                String kept = who.getOrDefault(nick, "");
                int tab = kept.indexOf('\t');
                entries.add(tab < 0 ? new Entry(nick, "", Set.of(), count) : new Entry(nick, kept.substring(0, tab),
                        kept.length() == tab + 1 ? Set.of() : Set.of(kept.substring(tab + 1).split(",")), count));
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
            String member = entry.substring(cut + 1);
            String nick = sync.hget(keys.people(room), member);
            // The name is free (where no other node holds it) before the leave is in the stream, as when a
            // member leaves by itself.
            if (nick != null) {
                sync.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {nickKey(nick)}, "", node);
            }
            List<Object> reaped = placing.run(room, RoomScripts.REAP, scripts.presenceKeys(room),
                    scripts.args(room, node, member), RoomEvent.Left::new);
            if (reaped != null && reaped.size() == 4) { // else devices elsewhere, or another survivor reaped it
                announced++;
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
        for (String[] nick : held.values()) {
            sync.eval(CLAIM, ScriptOutputType.INTEGER, new String[] {nickKey(nick[0])}, nick[1], nodeId,
                    Long.toString(leaseMillis));
        }
        present.forEach((entry, member) -> {
            int cut = entry.indexOf('\n');
            String room = entry.substring(0, cut);
            sync.eval(RoomScripts.RESTORE, ScriptOutputType.INTEGER, scripts.presenceKeys(room), scripts.args(room,
                    nodeId, entry.substring(cut + 1), Integer.toString(member.devices()), member.nick(), member.who()));
            sync.sadd(nodeMembersKey(nodeId), entry);
        });
    }

    /** Leaves the node table on a clean stop; members have left by then. */
    void unregister() {
        try {
            var sync = connection.sync();
            for (String[] nick : held.values()) {
                sync.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {nickKey(nick[0])}, nick[1], nodeId);
            }
            sync.del(nodeMembersKey(nodeId));
            sync.zrem(nodesKey(), nodeId);
        } catch (RedisException e) {
            log.debug("Could not leave the node table; the others will reap this node", e);
        }
    }
}
