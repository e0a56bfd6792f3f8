package io.github.wschat.broker.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The scripts that change a room in Redis, each within the room's hash slot, and their arguments.
 * Every script takes the same first keys and arguments ({@link #keys}, {@link #args}) and shares one
 * prelude that keeps three rules:
 *
 * <ul>
 *   <li><b>The room's epoch</b> ({@code P:{R}:epoch}, a hash: {@code n} its name, {@code s} the first
 *       sequence number it holds). A room without one — new, back after its keys expired, or Redis
 *       lost it — gets one, named by the caller's candidate, starting after the highest number the room
 *       ever had there, so that stream ids only grow. Every new epoch is also a <em>marker</em> entry in
 *       the stream ({@code k=e}, {@code a} the name, {@code b} the start), with id {@code N-k} after the
 *       last event {@code N-0}: it takes no sequence number, and a node reading the stream in order
 *       switches to the new epoch exactly there.</li>
 *   <li><b>The budget</b>: after each entry the stream is trimmed, oldest first, to at most
 *       {@code maxlen} entries and {@code maxbytes} bytes of field names and values (kept in
 *       {@code P:{R}:bytes}); the newest entry is always kept.</li>
 *   <li><b>The fence</b>: an event is never placed at a number the calling node has already read in
 *       the room's epoch, nor in an epoch that started at or before that number ({@link Fence}). Where
 *       it would be (Redis came back with older data, and a line reached it before the node checked
 *       the room: the Redis client sends the commands in flight at a dropped connection again, once it
 *       reconnects), the script places nothing and answers {@link #OLDER}; where the room is still in
 *       the caller's epoch it also gives the room a new epoch after that number, so that the next line
 *       takes a number no node has passed.</li>
 *   <li><b>Retention</b>: a script that leaves the room without members ({@code P:{R}:members} empty)
 *       gives the room's keys a time to live of the retention; a join takes it away
 *       ({@link RedisRoster#joined}).</li>
 * </ul>
 *
 * Immutable.
 */
final class RoomScripts {

    /** How a script answers a line it refused by the fence: nothing was placed. */
    static final String OLDER = "OLDER";

    /**
     * KEYS[1] seq, [2] events, [3] epoch, [4] members, [5] bytes; ARGV[1] candidate, [2] maxlen,
     * [3] maxbytes, [4] retention ms, [5] the room's wake channel (a Redis Cluster's readers are woken
     * through it, {@link ShardReaders}) or empty, [6] the fence's epoch, [7] its number (0: none).
     */
    private static final String PRELUDE = String.join("\n",
            "local function size(f) local s = 0 for i = 1, #f do s = s + #f[i] end return s end",
            "local function add(id, f)",
            "  local got = redis.call('XADD', KEYS[2], id, unpack(f))",
            "  if ARGV[5] ~= '' then redis.call('SPUBLISH', ARGV[5], got) end",
            "  local bytes = redis.call('INCRBY', KEYS[5], size(f))",
            "  local maxlen, maxbytes = tonumber(ARGV[2]), tonumber(ARGV[3])",
            "  local len = redis.call('XLEN', KEYS[2])",
            "  while len > 1 and (len > maxlen or bytes > maxbytes) do",
            "    local old = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]",
            "    redis.call('XDEL', KEYS[2], old[1])",
            "    bytes = redis.call('INCRBY', KEYS[5], -size(old[2]))",
            "    len = len - 1",
            "  end",
            "  return got",
            "end",
            "local function top()",
            "  local c = tonumber(redis.call('GET', KEYS[1]) or '0')",
            "  local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]",
            "  if last then local t = tonumber(string.match(last[1], '^(%d+)')) if t > c then c = t end end",
            "  return c",
            "end",
            // The counter is raised to just before the start (a node may have found the first lost number
            // beyond what Redis still counts), and the marker follows the last entry, before event 'start'.
            "local function mark(name, start)",
            "  local c = tonumber(redis.call('GET', KEYS[1]) or '0')",
            "  if c < start - 1 then redis.call('SET', KEYS[1], start - 1) end",
            "  redis.call('HSET', KEYS[3], 'n', name, 's', start)",
            "  local t = top()",
            "  local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]",
            "  local id = t .. '-1'",
            "  if last and tonumber(string.match(last[1], '^(%d+)')) == t then id = t .. '-*' end",
            "  add(id, {'k', 'e', 'a', name, 'b', tostring(start)})",
            "end",
            "local function epoch()",
            "  local n = redis.call('HGET', KEYS[3], 'n')",
            "  if n then return n, tonumber(redis.call('HGET', KEYS[3], 's')) end",
            "  local c = top()",
            "  if c > 0 then redis.call('SET', KEYS[1], c) end",
            "  mark(ARGV[1], c + 1)",
            "  return ARGV[1], c + 1",
            "end",
            "local function older()",
            "  local floor = tonumber(ARGV[7])",
            "  if floor == 0 then return false end",
            "  local n, s = epoch()",
            "  if n ~= ARGV[6] then return s <= floor end",
            "  if tonumber(redis.call('GET', KEYS[1]) or '0') >= floor then return false end",
            "  mark(ARGV[1], floor + 1)",
            "  return true",
            "end",
            "local function refuse() return redis.error_reply('" + OLDER + " room data than the node read') end",
            "local function keep()",
            "  if redis.call('EXISTS', KEYS[4]) == 0 then",
            "    for _, k in ipairs({KEYS[1], KEYS[2], KEYS[3], KEYS[5]}) do redis.call('PEXPIRE', k, ARGV[4]) end",
            "  end",
            "end",
            "local function now()",
            "  local t = redis.call('TIME')",
            "  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)",
            "end",
            "local function event(f)",
            "  local n = epoch()",
            "  local seq = redis.call('INCR', KEYS[1])",
            "  local ms = now()",
            "  table.insert(f, 1, 't') table.insert(f, 2, tostring(ms))",
            "  add(seq .. '-0', f)",
            "  return {seq, ms, n}",
            "end",
            "");

    /** Appends an event: ARGV[8..11] kind, a, b, c. Returns {seq, ms, epoch}, or {@link #OLDER} (the fence). */
    static final String APPEND = PRELUDE + String.join("\n",
            "if older() then return refuse() end",
            "local placed = event({'k', ARGV[8], 'a', ARGV[9], 'b', ARGV[10], 'c', ARGV[11]})",
            "keep()",
            "return placed");

    /**
     * As {@link #APPEND}, unless KEYS[6] names an earlier placement of the key ARGV[12]: then
     * {@code {-1, 'epoch:seq'}} and nothing appended; else the place is kept there for ARGV[13] ms.
     */
    static final String APPEND_ONCE = PRELUDE + String.join("\n",
            "local first = redis.call('GET', KEYS[6])",
            "if first then return {-1, first} end",
            "if older() then return refuse() end",
            "local placed = event({'k', ARGV[8], 'a', ARGV[9], 'b', ARGV[10], 'c', ARGV[11], '"
                    + EventFields.ONCE_KEY + "', ARGV[12]})",
            "redis.call('SET', KEYS[6], placed[3] .. ':' .. placed[1], 'PX', ARGV[13])",
            "keep()",
            "return placed");

    /**
     * The presence scripts' keys after the room's: KEYS[6] identities, [7] people, [8] devices, [9] counts
     * ({@link RoomKeys}); ARGV[8] the node, [9] the member key. A member's last device gone (on any node)
     * removes it and appends its leave.
     */
    private static final String PRESENCE = String.join("\n",
            "local function gone(key)",
            "  redis.call('HDEL', KEYS[9], key)",
            "  local nick = redis.call('HGET', KEYS[7], key)",
            "  redis.call('HDEL', KEYS[7], key)",
            "  if not nick then keep() return {} end",
            "  redis.call('HDEL', KEYS[4], nick)",
            "  redis.call('HDEL', KEYS[6], nick)",
            "  local placed = event({'k', 'l', 'a', nick, 'b', '', 'c', ''})",
            "  keep()",
            "  table.insert(placed, nick)",
            "  return placed",
            "end",
            "");

    /**
     * A device of member ARGV[9] arrived on node ARGV[8] as nick ARGV[10] (identity ARGV[11],
     * {@code id\troles} or empty): counted; if it is the member's first on any node, the member is added
     * and, where ARGV[12] is {@code 1}, its join appended: {seq, ms, epoch, nick}; else {nick} with the
     * name the member has. The room's keys lose the time to live its last leave gave them.
     */
    static final String ARRIVE = PRELUDE + PRESENCE + String.join("\n",
            "for _, k in ipairs({KEYS[1], KEYS[2], KEYS[3], KEYS[5]}) do redis.call('PERSIST', k) end",
            "redis.call('HINCRBY', KEYS[8], ARGV[9] .. '\t' .. ARGV[8], 1)",
            "local total = redis.call('HINCRBY', KEYS[9], ARGV[9], 1)",
            "local nick = redis.call('HGET', KEYS[7], ARGV[9])",
            "if total > 1 and nick then return {nick} end",
            "redis.call('HSET', KEYS[7], ARGV[9], ARGV[10])",
            "redis.call('HSET', KEYS[4], ARGV[10], ARGV[9])",
            "if ARGV[11] ~= '' then redis.call('HSET', KEYS[6], ARGV[10], ARGV[11]) end",
            "if ARGV[12] ~= '1' then return {ARGV[10]} end",
            "local placed = event({'k', 'j', 'a', ARGV[10], 'b', '', 'c', ''})",
            "table.insert(placed, ARGV[10])",
            "return placed");

    /**
     * A device of member ARGV[9] departed from node ARGV[8]: uncounted; if it was the member's last on
     * any node, the member is removed and its leave appended: {seq, ms, epoch, nick}; else nothing.
     */
    static final String DEPART = PRELUDE + PRESENCE + String.join("\n",
            "local field = ARGV[9] .. '\t' .. ARGV[8]",
            "local here = tonumber(redis.call('HGET', KEYS[8], field) or '0')",
            "if here <= 0 then return {} end",
            "if here == 1 then redis.call('HDEL', KEYS[8], field) else redis.call('HINCRBY', KEYS[8], field, -1) end",
            "if redis.call('HINCRBY', KEYS[9], ARGV[9], -1) > 0 then return {} end",
            "return gone(ARGV[9])");

    /**
     * Reaps member ARGV[9] of dead node ARGV[8]: its devices there are uncounted; if they were its last,
     * as {@link #DEPART}. Nothing where another survivor reaped it.
     */
    static final String REAP = PRELUDE + PRESENCE + String.join("\n",
            "local field = ARGV[9] .. '\t' .. ARGV[8]",
            "local here = tonumber(redis.call('HGET', KEYS[8], field) or '0')",
            "if here <= 0 then return {} end",
            "redis.call('HDEL', KEYS[8], field)",
            "if redis.call('HINCRBY', KEYS[9], ARGV[9], -here) > 0 then return {} end",
            "return gone(ARGV[9])");

    /** Member ARGV[9] renamed itself from ARGV[10] to ARGV[11], on every node. */
    static final String RENAME = PRELUDE + String.join("\n",
            "if redis.call('HGET', KEYS[7], ARGV[9]) ~= ARGV[10] then return 0 end",
            "redis.call('HSET', KEYS[7], ARGV[9], ARGV[11])",
            "redis.call('HDEL', KEYS[4], ARGV[10])",
            "redis.call('HSET', KEYS[4], ARGV[11], ARGV[9])",
            "local who = redis.call('HGET', KEYS[6], ARGV[10])",
            "if who then redis.call('HDEL', KEYS[6], ARGV[10]) redis.call('HSET', KEYS[6], ARGV[11], who) end",
            "return 1");

    /**
     * Puts back node ARGV[8]'s ARGV[10] devices of member ARGV[9], as nick ARGV[11] (identity ARGV[12]),
     * after Redis restarted without them; the member keeps a name it has from another node.
     */
    static final String RESTORE = PRELUDE + String.join("\n",
            "local field = ARGV[9] .. '\t' .. ARGV[8]",
            "local had = tonumber(redis.call('HGET', KEYS[8], field) or '0')",
            "redis.call('HSET', KEYS[8], field, ARGV[10])",
            "redis.call('HINCRBY', KEYS[9], ARGV[9], tonumber(ARGV[10]) - had)",
            "if redis.call('HGET', KEYS[7], ARGV[9]) then return 0 end",
            "redis.call('HSET', KEYS[7], ARGV[9], ARGV[11])",
            "redis.call('HSET', KEYS[4], ARGV[11], ARGV[9])",
            "if ARGV[12] ~= '' then redis.call('HSET', KEYS[6], ARGV[11], ARGV[12]) end",
            "return 1");

    /** The room's epoch, made where it has none: {name, start}. */
    static final String EPOCH = PRELUDE + String.join("\n",
            "local n, s = epoch()",
            "keep()",
            "return {n, tostring(s)}");

    /** The room's epoch and its newest ARGV[8] entries, newest first: {name, start, entries}. */
    static final String BACKLOG = PRELUDE + String.join("\n",
            "local n, s = epoch()",
            "keep()",
            "return {n, tostring(s), redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[8])}");

    /**
     * A new epoch, starting at sequence ARGV[9], if the room is still in epoch ARGV[8] (a node found
     * the stream's data older than what it read); otherwise the room's epoch as it is. {name, start}.
     */
    static final String NEW_EPOCH = PRELUDE + String.join("\n",
            "local n, s = epoch()",
            "if n ~= ARGV[8] then return {n, tostring(s)} end",
            "mark(ARGV[1], tonumber(ARGV[9]))",
            "keep()",
            "return {ARGV[1], ARGV[9]}");

    private final RoomKeys keys;
    private final String maxLength;
    private final String maxBytes;
    private final String retentionMillis;
    private final boolean wake;

    /** @param wake whether each entry is announced on the room's wake channel (on a Redis Cluster) */
    RoomScripts(RoomKeys keys, long maxLength, long maxBytes, Duration retention, boolean wake) {
        this.keys = keys;
        this.wake = wake;
        this.maxLength = Long.toString(maxLength);
        this.maxBytes = Long.toString(maxBytes);
        this.retentionMillis = Long.toString(Math.max(1, retention.toMillis()));
    }

    /**
     * Where a node stands in a room: the epoch it reads and the number of the last entry it read there
     * (0: it has read none, and no fence holds). An event the node places must take a later number in
     * that epoch ({@link RoomScripts}). Immutable.
     */
    record Fence(String epoch, long read) {

        static final Fence NONE = new Fence("", 0);

        Fence {
            java.util.Objects.requireNonNull(epoch, "epoch");
        }
    }

    /** The room's keys every script takes first, then {@code more}. */
    String[] keys(String room, String... more) {
        String[] all = Arrays.copyOf(new String[] {keys.seq(room), keys.events(room), keys.roomEpoch(room),
                keys.members(room), keys.bytes(room)}, 5 + more.length);
        System.arraycopy(more, 0, all, 5, more.length);
        return all;
    }

    /** The arguments every script on the room takes first (a fresh candidate epoch among them), then {@code more}. */
    String[] args(String room, String... more) {
        return args(room, Fence.NONE, more);
    }

    /** As {@link #args(String, String...)}, for a script that places an event: none before {@code fence}. */
    String[] args(String room, Fence fence, String... more) {
        String[] all = Arrays.copyOf(new String[] {newEpochName(), maxLength, maxBytes, retentionMillis,
                wake ? keys.wake(room) : "", fence.epoch(), Long.toString(fence.read())}, 7 + more.length);
        System.arraycopy(more, 0, all, 7, more.length);
        return all;
    }

    /** The room's keys, then those of its presence, for the presence scripts. */
    String[] presenceKeys(String room) {
        return keys(room, keys.identities(room), keys.people(room), keys.devices(room), keys.counts(room));
    }

    static String newEpochName() {
        return String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /** An epoch as the scripts answer it: {name, start}. */
    record Epoch(String name, long start) {

        static Epoch of(List<Object> answer) {
            return new Epoch((String) answer.get(0), Long.parseLong((String) answer.get(1)));
        }
    }
}
