package io.github.wschat.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chat-bench scale failover}: what a Redis failover costs the rooms. Demo nodes on a Redis
 * Cluster of three masters and three replicas, then on a master, its replica and a Sentinel; the
 * members of many rooms spread over the nodes on the JSON protocol, one member of each room sending
 * lines with ids (each acknowledged with its place, or refused); mid-stream the master that holds the
 * first room is killed (SIGKILL). Prints, for the killed master's rooms and for the others, how long
 * each room was degraded and what became of its lines.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Demo nodes on a Redis Cluster (3 masters, 3 replicas), then on a Sentinel's master and replica; "
                + "members of many rooms spread over the nodes send lines with ids; a master is killed mid-stream. "
                + "Prints how long rooms were degraded (on the killed master and elsewhere) and what became of the lines: "
                + "acknowledged, not sent, unconfirmed, delivered to some members only, acknowledged but not to all.")
final class Failover implements Callable<Integer> {

    private static final Pattern FIELD = Pattern.compile("\"(type|id|text|epoch|seq)\":\"?([^\",}]*)");

    @Option(names = "--nodes", defaultValue = "3", description = "Demo nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--rooms", defaultValue = "12", description = "Rooms (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--members", defaultValue = "6", description = "Members per room, spread over the nodes (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--rate", defaultValue = "10", description = "Lines a second per room (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--before", defaultValue = "5", description = "Seconds of lines before the kill (default: ${DEFAULT-VALUE}).")
    double before;

    @Option(names = "--after", defaultValue = "15", description = "Seconds of lines after the kill (default: ${DEFAULT-VALUE}).")
    double after;

    @Option(names = "--redis", split = ",", defaultValue = "cluster,sentinel",
            description = "Redis layouts: cluster, sentinel (default: ${DEFAULT-VALUE}).")
    List<String> layouts;

    @Mixin
    RedisNodesOptions options;

    @Option(names = "--redis-sentinel", defaultValue = "/usr/bin/redis-sentinel",
            description = "The redis-sentinel program (apt-get install redis-sentinel) (default: ${DEFAULT-VALUE}).")
    Path redisSentinel;

    @Spec
    CommandSpec spec;

    /** What became of one group of rooms' lines. */
    record Outcome(String layout, String group, int rooms, List<Double> degraded, int neverBack, long sent, long acked,
            long notSent, long unconfirmed, long unanswered, long partial, long ackedNotToAll, long twoPlaces) {

        boolean clean() {
            return neverBack == 0 && partial == 0 && ackedNotToAll == 0 && twoPlaces == 0;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Path program : List.of(options.redisServer, options.redisCli, redisSentinel)) {
            if (!Files.isExecutable(program)) {
                err.println("failover: " + program + " is missing: apt-get install redis-server redis-tools redis-sentinel");
                return 2;
            }
        }
        out.printf(Locale.ROOT, "## chat-bench scale failover%n%n%d cores; %d nodes (%s); %d rooms × %d members spread over "
                + "the nodes, %.0f lines/s per room with ids; a master killed (SIGKILL) after %.0f s, lines for %.0f s more%n%n",
                Runtime.getRuntime().availableProcessors(), nodes, options.transport, rooms, members, rate, before, after);
        List<Outcome> outcomes = new ArrayList<>();
        for (String layout : layouts) {
            try (RedisLayout redis = layout.equals("cluster") ? RedisLayout.cluster(options.redisServer, options.redisCli, 3, 1)
                    : RedisLayout.sentinel(options.redisServer, redisSentinel)) {
                List<ServerUnderTest> demo = options.startNodes(nodes, redis);
                try {
                    err.println("failover: " + layout);
                    outcomes.addAll(run(layout, demo, redis, err));
                } finally {
                    RedisNodesOptions.stopNodes(demo);
                }
            }
        }
        out.printf(Locale.ROOT, "| Redis | rooms | degraded s, median | max | lines sent | acknowledged | not sent | unconfirmed "
                + "| unanswered | to some members only | acknowledged, not to all | at two places |%n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
        boolean clean = true;
        for (Outcome o : outcomes) {
            List<Double> sorted = o.degraded().stream().sorted().toList();
            out.printf(Locale.ROOT, "| %s | %s (%d) | %.2f | %s | %d | %d | %d | %d | %d | %d | %d | %d |%n", o.layout(), o.group(),
                    o.rooms(), sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2),
                    o.neverBack() > 0 ? o.neverBack() + " never back" : String.format(Locale.ROOT, "%.2f",
                            sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)),
                    o.sent(), o.acked(), o.notSent(), o.unconfirmed(), o.unanswered(), o.partial(), o.ackedNotToAll(),
                    o.twoPlaces());
            clean &= o.clean();
        }
        out.printf(Locale.ROOT, "%nDegraded: from a room's first line not acknowledged to the first acknowledged after its last "
                + "one (0 if every line was acknowledged). A room is back when it acknowledges lines again; not sent and "
                + "unconfirmed lines are the sender's to resend (with the same id, placed once).%n");
        out.flush();
        return clean ? 0 : 1;
    }

    private List<Outcome> run(String layout, List<ServerUnderTest> demo, RedisLayout redis, PrintWriter err)
            throws Exception {
        List<Watched> watched = new ArrayList<>();
        try (ClientEngine engine = ClientEngine.named("eager", options.clientThreads)) {
            for (int r = 0; r < rooms; r++) {
                Watched room = new Watched(layout + "-failover-" + r, members);
                watched.add(room);
                for (int m = 0; m < members; m++) {
                    int member = m;
                    List<ClientEngine.Socket> socket = engine.open(demo.get((r + m) % demo.size()).url()
                            .resolve("/chat/" + room.name), 1, "wschat.v1.json", i -> room.member(member));
                    if (m == 0) {
                        room.sender = socket.get(0);
                    }
                }
            }
            ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
            long killedAt;
            List<String> killedRooms;
            try {
                AtomicInteger next = new AtomicInteger();
                ticks.scheduleAtFixedRate(() -> watched.get(next.getAndIncrement() % watched.size()).send(), 0,
                        Math.max(1, (long) (1_000_000 / (rate * rooms))), TimeUnit.MICROSECONDS);
                TimeUnit.MILLISECONDS.sleep((long) (before * 1000));
                killedAt = System.nanoTime();
                killedRooms = redis.killMasterOf(watched.get(0).name, watched.stream().map(w -> w.name).toList());
                err.println("failover: killed the master of " + killedRooms.size() + " of " + rooms + " rooms");
                TimeUnit.MILLISECONDS.sleep((long) (after * 1000));
            } finally {
                ticks.shutdownNow();
                ticks.awaitTermination(5, TimeUnit.SECONDS);
            }
            finish(watched, err);
            List<Outcome> outcomes = new ArrayList<>();
            List<Watched> onKilled = watched.stream().filter(w -> killedRooms.contains(w.name)).toList();
            List<Watched> others = watched.stream().filter(w -> !killedRooms.contains(w.name)).toList();
            outcomes.add(outcome(layout, layout.equals("cluster") ? "on the killed master" : "all", onKilled, killedAt));
            if (!others.isEmpty()) {
                outcomes.add(outcome(layout, "on the other masters", others, killedAt));
            }
            return outcomes;
        }
    }

    /**
     * Sends each room a last line until one is acknowledged (the room takes lines again; at most 90 s),
     * then waits until every member has it (at most 30 s): the lines before it have all arrived then.
     */
    private static void finish(List<Watched> watched, PrintWriter err) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (watched.stream().anyMatch(w -> w.end == null) && System.nanoTime() < deadline) {
            for (Watched room : watched) {
                room.tryToEnd();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (watched.stream().anyMatch(w -> w.end != null && w.delivered(w.end) < w.members)
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        long notBack = watched.stream().filter(w -> w.end == null).count();
        if (notBack > 0) {
            err.println("failover: " + notBack + " rooms took no line within 90 s");
        }
    }

    private static Outcome outcome(String layout, String group, List<Watched> rooms, long killedAt) {
        List<Double> degraded = new ArrayList<>();
        int neverBack = 0;
        long sent = 0;
        long acked = 0;
        long notSent = 0;
        long unconfirmed = 0;
        long partial = 0;
        long ackedNotToAll = 0;
        long twoPlaces = 0;
        for (Watched room : rooms) {
            List<String> order = room.sentAt.keySet().stream().sorted(Comparator.comparing(room.sentAt::get)).toList();
            int firstBad = -1;
            int lastBad = -1;
            for (int i = 0; i < order.size(); i++) {
                if (!room.acked.contains(order.get(i))) {
                    firstBad = firstBad < 0 ? i : firstBad;
                    lastBad = i;
                }
            }
            if (room.end == null) {
                neverBack++;
            } else if (firstBad >= 0) {
                long backAt = room.sentAt.get(room.end);
                for (int i = lastBad + 1; i < order.size(); i++) {
                    if (room.acked.contains(order.get(i))) {
                        backAt = Math.min(backAt, room.sentAt.get(order.get(i)));
                        break;
                    }
                }
                long from = Math.min(room.sentAt.get(order.get(firstBad)), Math.max(killedAt, room.sentAt.get(order.get(0))));
                degraded.add((backAt - from) / 1e9);
            } else {
                degraded.add(0.0);
            }
            sent += order.size();
            acked += room.acked.size();
            notSent += room.notSent.size();
            unconfirmed += room.unconfirmed.size();
            for (Map.Entry<String, AtomicInteger> line : room.deliveries.entrySet()) {
                if (line.getValue().get() < room.members) {
                    partial++;
                }
            }
            ackedNotToAll += room.acked.stream().filter(id -> room.delivered(id) != room.members).count();
            twoPlaces += room.places.values().stream().filter(p -> p.size() > 1).count();
        }
        return new Outcome(layout, group, rooms.size(), degraded, neverBack, sent, acked, notSent, unconfirmed,
                sent - acked - notSent - unconfirmed, partial, ackedNotToAll, twoPlaces);
    }

    private static String field(String frame, String name) {
        Matcher m = FIELD.matcher(frame);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        return null;
    }

    /** One room: its sender, the answers its sender got, and what its members received. */
    private static final class Watched {

        final String name;
        final int members;
        volatile ClientEngine.Socket sender;
        /** Line id (also its text) to when it was sent, {@link System#nanoTime}. */
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final Set<String> notSent = ConcurrentHashMap.newKeySet();
        final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();
        /** Line to how many members received it. */
        final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        /** Line to the places ({@code epoch:seq}) members received it at. */
        final Map<String, Set<String>> places = new ConcurrentHashMap<>();
        private int sent;
        private String endAttempt;
        volatile String end;

        Watched(String name, int members) {
            this.name = name;
            this.members = members;
        }

        ClientEngine.Lines member(int index) {
            return frame -> {
                String type = field(frame, "type");
                if ("message".equals(type)) {
                    String text = field(frame, "text");
                    deliveries.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
                    places.computeIfAbsent(text, t -> ConcurrentHashMap.newKeySet())
                            .add(field(frame, "epoch") + ":" + field(frame, "seq"));
                } else if (index == 0 && "ack".equals(type)) {
                    acked.add(field(frame, "id"));
                } else if (index == 0 && "error".equals(type) && field(frame, "id") != null) {
                    (frame.contains("did not confirm") ? unconfirmed : notSent).add(field(frame, "id"));
                }
            };
        }

        int delivered(String line) {
            AtomicInteger count = deliveries.get(line);
            return count == null ? 0 : count.get();
        }

        /** Sends the next line; called by one thread at a time. */
        String send() {
            String id = name + "-" + sent++;
            sentAt.put(id, System.nanoTime());
            sender.send("{\"type\":\"say\",\"id\":\"" + id + "\",\"text\":\"" + id + "\"}");
            return id;
        }

        /** Sends a last line if the one before was answered without an acknowledgement, or not within 2 s. */
        void tryToEnd() {
            if (end != null) {
                return;
            }
            if (endAttempt != null && acked.contains(endAttempt)) {
                end = endAttempt;
            } else if (endAttempt == null || notSent.contains(endAttempt) || unconfirmed.contains(endAttempt)
                    || System.nanoTime() - sentAt.get(endAttempt) > TimeUnit.SECONDS.toNanos(2)) {
                endAttempt = send();
            }
        }
    }
}
