package io.github.wschat.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The fan-out scenario: {@code clients} connections in one room, {@code senders} of them sending
 * {@code rate} lines a second each. Every line carries its phase, its sender, the sender's sequence
 * number and the send time, and every client times every line end to end (the generator sends and
 * receives, so one clock). Only lines sent in the measured window count; lines still in flight
 * when it ends are waited for, up to a limit.
 */
final class FanoutRun {

    /**
     * What to run. With several URLs (the nodes of a cluster, one room), clients are spread over them
     * in turn, so the senders are too; the server CPU is the sum over the PIDs.
     */
    record Settings(List<URI> urls, int clients, int senders, double rate, int payload, Duration warmup,
            Duration duration, List<Long> serverPids, int clientThreads, String client, Wire wire, boolean prose) {

        Settings(List<URI> urls, int clients, int senders, double rate, int payload, Duration warmup,
                Duration duration, List<Long> serverPids, int clientThreads, String client, Wire wire) {
            this(urls, clients, senders, rate, payload, warmup, duration, serverPids, clientThreads, client, wire, false);
        }

        Settings(List<URI> urls, int clients, int senders, double rate, int payload, Duration warmup,
                Duration duration, List<Long> serverPids, int clientThreads, String client) {
            this(urls, clients, senders, rate, payload, warmup, duration, serverPids, clientThreads, client, Wire.PLAIN);
        }

        Settings(URI url, int clients, int senders, double rate, int payload, Duration warmup, Duration duration,
                long serverPid, int clientThreads, String client) {
            this(List.of(url), clients, senders, rate, payload, warmup, duration, List.of(serverPid), clientThreads,
                    client);
        }

        Settings withWire(Wire other) {
            return new Settings(urls, clients, senders, rate, payload, warmup, duration, serverPids, clientThreads,
                    client, other, prose);
        }

        /** Lines padded with words of chat, different in every line, instead of one letter repeated. */
        Settings withProse() {
            return new Settings(urls, clients, senders, rate, payload, warmup, duration, serverPids, clientThreads,
                    client, wire, true);
        }
    }

    /**
     * How the clients speak: the seed's plain text; or {@code wschat.v1.json}, every client, the senders
     * sending {@code say} commands without or with an id (each then acknowledged to its sender).
     */
    enum Wire {
        PLAIN, JSON, JSON_IDS;

        String subprotocol() {
            return this == PLAIN ? "" : "wschat.v1.json";
        }

        /** The command that sends {@code text}, the {@code n}th of sender {@code sender}. */
        String command(int sender, long n, String text) {
            switch (this) {
                case JSON:
                    return "{\"type\":\"say\",\"text\":\"" + text + "\"}";
                case JSON_IDS:
                    return "{\"type\":\"say\",\"id\":\"b" + sender + "-" + n + "\",\"text\":\"" + text + "\"}";
                default:
                    return text;
            }
        }

        /**
         * The line a received frame carries as {@code nick: text} (the plain protocol's shape), or null
         * for anything but a message (a join, an acknowledgement). The bench's texts need no escaping.
         */
        String line(String frame) {
            if (this == PLAIN) {
                return frame;
            }
            if (!frame.startsWith("{\"type\":\"message\"")) {
                return null;
            }
            int text = frame.indexOf("\"text\":\"");
            return text < 0 ? null : "-: " + frame.substring(text + 8, frame.lastIndexOf('"'));
        }
    }

    /** What was measured. */
    record Result(int clients, int senders, double offeredPerSecond, long linesSent, long expected, long delivered,
            double deliveriesPerSecond, Histogram latencyMicros, long orderViolations, double serverMicrosPerDelivery,
            double benchCores, long sendsBehind, String client, double serverKernelShare, double lagGrowth,
            double wireBytesPerDelivery, double segmentsPerDelivery) {

        long losses() {
            return expected - delivered;
        }

        double deliveryRatio() {
            return expected == 0 ? 1 : (double) delivered / expected;
        }
    }

    private static final long DRAIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Settings settings;
    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder violations = new LongAdder();
    private final Histogram measured = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final List<Long> secondMedians = new ArrayList<>();
    private final Consumer<String> progress;
    /** Told {@code true} as the measured window opens and {@code false} as it closes. */
    private Consumer<Boolean> window = open -> { };
    private volatile CountDownLatch synced;
    private volatile int syncAttempt = -1;

    FanoutRun(Settings settings) {
        this(settings, what -> { });
    }

    /**
     * @param progress told what the run is doing and how long is left, every few seconds
     */
    FanoutRun(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Has {@code window} told {@code true} right as the measured window opens (after the server's CPU is
     * read) and {@code false} as it closes (before it is read again): for figures over the same window.
     */
    FanoutRun onWindow(Consumer<Boolean> window) {
        this.window = window;
        return this;
    }

    Result run() throws Exception {
        try (ClientEngine engine = ClientEngine.named(settings.client(), settings.clientThreads())) {
            List<ClientEngine.Socket> sockets = open(engine);
            sync(sockets.get(0));
            Sender[] senders = new Sender[settings.senders()];
            for (int s = 0; s < senders.length; s++) {
                senders[s] = new Sender(s, sockets.get(s), settings.wire());
            }
            progress.accept("warming up");
            send(senders, 'w', settings.warmup());
            latency.reset();
            delivered.reset();
            long linesBefore = sentLines(senders);
            long[] cpuBefore = cpu();
            long segmentsBefore = dataSegments();
            long wireBefore = engine.wireBytesRead();
            long ownBefore = ServerFigures.ownCpuMicros();
            window.accept(true);
            long start = System.nanoTime();
            send(senders, 'm', settings.duration());
            long lines = sentLines(senders) - linesBefore;
            long expected = lines * settings.clients();
            long drainEnd = System.nanoTime() + DRAIN_LIMIT_NANOS;
            while (delivered.sum() < expected && System.nanoTime() < drainEnd) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            long end = System.nanoTime();
            window.accept(false);
            long[] cpuAfter = cpu();
            long segmentsAfter = dataSegments();
            long wireAfter = engine.wireBytesRead();
            long ownAfter = ServerFigures.ownCpuMicros();
            measured.add(latency.getIntervalHistogram());
            double seconds = (end - start) / 1e9;
            long got = delivered.sum();
            long behind = 0;
            for (Sender sender : senders) {
                behind += sender.behind;
            }
            for (ClientEngine.Socket socket : sockets) {
                socket.abort();
            }
            long user = cpuAfter[0] - cpuBefore[0];
            long kernel = cpuAfter[1] - cpuBefore[1];
            boolean known = settings.serverPids().stream().allMatch(pid -> pid > 0) && cpuBefore[0] >= 0 && got > 0;
            return new Result(settings.clients(), settings.senders(),
                    settings.senders() * settings.rate() * settings.clients(), lines, expected, got, got / seconds,
                    measured, violations.sum(), known ? (double) (user + kernel) / got : Double.NaN,
                    (ownAfter - ownBefore) / 1e6 / seconds, behind, settings.client(),
                    known && user + kernel > 0 ? (double) kernel / (user + kernel) : Double.NaN, lagGrowth(),
                    wireBefore >= 0 && got > 0 ? (double) (wireAfter - wireBefore) / got : Double.NaN,
                    segmentsBefore >= 0 && segmentsAfter >= 0 && got > 0 ? (double) (segmentsAfter - segmentsBefore) / got
                            : Double.NaN);
        }
    }

    /** The clients, spread over the URLs in turn: client i is on URL i mod n. */
    private List<ClientEngine.Socket> open(ClientEngine engine) throws Exception {
        List<URI> urls = settings.urls();
        List<List<ClientEngine.Socket>> perUrl = new ArrayList<>();
        for (int u = 0; u < urls.size(); u++) {
            int count = settings.clients() / urls.size() + (u < settings.clients() % urls.size() ? 1 : 0);
            perUrl.add(engine.open(urls.get(u), count, settings.wire().subprotocol(), i -> new Receiver(settings.senders())));
        }
        List<ClientEngine.Socket> spread = new ArrayList<>(settings.clients());
        for (int i = 0; spread.size() < settings.clients(); i++) {
            List<ClientEngine.Socket> from = perUrl.get(i % urls.size());
            int index = i / urls.size();
            if (index < from.size()) {
                spread.add(from.get(index));
            }
        }
        return spread;
    }

    /** The data segments the servers' connections sent, summed over their ports; -1 if one cannot be read. */
    private long dataSegments() {
        long sum = 0;
        for (int port : settings.urls().stream().map(URI::getPort).distinct().toList()) {
            long one = ServerFigures.dataSegmentsOut(port);
            if (one < 0) {
                return -1;
            }
            sum += one;
        }
        return sum;
    }

    /** User and kernel CPU of every server process, summed; {-1, -1} if one cannot be read. */
    private long[] cpu() {
        long[] sum = {0, 0};
        for (long pid : settings.serverPids()) {
            long[] one = ServerFigures.cpuSplitMicros(pid);
            if (one[0] < 0) {
                return new long[] {-1, -1};
            }
            sum[0] += one[0];
            sum[1] += one[1];
        }
        return sum;
    }

    /**
     * How much the median receive lag grew over the measured window: the last whole second's p50
     * over the first's. A generator (or server) that keeps up stays near 1; one that falls behind
     * grows without bound.
     */
    private double lagGrowth() {
        if (secondMedians.size() < 3) {
            return Double.NaN;
        }
        long first = Math.max(1, secondMedians.get(0));
        return (double) secondMedians.get(secondMedians.size() - 1) / first;
    }

    /** Waits until every client is in the room: one line from the first client reaches them all. */
    private void sync(ClientEngine.Socket first) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            synced = new CountDownLatch(settings.clients());
            syncAttempt = attempt;
            first.send(settings.wire().command(-1, attempt, "s " + attempt)).get(10, TimeUnit.SECONDS);
            if (synced.await(3, TimeUnit.SECONDS)) {
                return;
            }
        }
        throw new IllegalStateException("not every client joined the room");
    }

    private static long sentLines(Sender[] senders) {
        long sum = 0;
        for (Sender sender : senders) {
            sum += sender.sent;
        }
        return sum;
    }

    /**
     * Sends at the rate for a while; a sender whose previous line is still being written catches up
     * later. While measuring, it takes the latency histogram once a second, for the lag trend.
     */
    private void send(Sender[] senders, char phase, Duration duration) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long[] due = new long[senders.length];
        int paddingLength = Math.max(0, settings.payload() - 40);
        String repeated = "x".repeat(paddingLength);
        java.util.function.Supplier<String> padding = settings.prose()
                ? new Prose(paddingLength, phase)::next : () -> repeated;
        long nextSecond = start + TimeUnit.SECONDS.toNanos(1);
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        for (long now = start; now < end; now = System.nanoTime()) {
            double elapsed = (now - start) / 1e9;
            for (int s = 0; s < senders.length; s++) {
                long target = (long) (elapsed * settings.rate());
                while (due[s] < target) {
                    if (!senders[s].trySend(phase, padding.get())) {
                        senders[s].behind++;
                        break;
                    }
                    due[s]++;
                }
            }
            if (phase == 'm' && now >= nextSecond) {
                Histogram second = latency.getIntervalHistogram();
                measured.add(second);
                secondMedians.add(second.getValueAtPercentile(50));
                nextSecond += TimeUnit.SECONDS.toNanos(1);
            }
            if (now >= nextReport) {
                progress.accept(String.format(java.util.Locale.ROOT, "%s, %.0f s left",
                        phase == 'm' ? "measuring" : "warming up", (end - now) / 1e9));
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // pacing the offered load
        }
    }

    /** Words of chat, drawn at random: text that compresses as chat does, not as one letter repeated. */
    static final class Prose {
        private static final String[] WORDS = ("the a to and of you I it is that in we for on this have be with "
                + "are not so but just what can do will at all if about my your was me they like know think "
                + "meeting tomorrow morning lunch today deploy build release ticket review merge branch issue "
                + "customer order refund shipping address payment invoice account password login error page "
                + "thanks please sorry great good ok yes no maybe sure later soon now again still really").split(" ");
        private final int length;
        private final java.util.Random random;

        Prose(int length, long seed) {
            this.length = length;
            this.random = new java.util.Random(seed);
        }

        String next() {
            StringBuilder text = new StringBuilder(length + 12);
            while (text.length() < length) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            text.setLength(length);
            return text.toString();
        }
    }

    private static final class Sender {
        private final int id;
        private final ClientEngine.Socket socket;
        private final Wire wire;
        private long seq;
        private long sent;
        private long behind;
        private java.util.concurrent.Future<?> last = CompletableFuture.completedFuture(null);

        Sender(int id, ClientEngine.Socket socket, Wire wire) {
            this.id = id;
            this.socket = socket;
            this.wire = wire;
        }

        boolean trySend(char phase, String padding) {
            if (!last.isDone()) {
                return false;
            }
            long n = seq++;
            last = socket.send(wire.command(id, sent, phase + " " + id + " " + n + " " + System.nanoTime() + " " + padding));
            sent++;
            return true;
        }
    }

    /** One client's receiving side: times measured lines and checks each sender's order. */
    private final class Receiver implements ClientEngine.Lines {
        private final long[] lastSeq;

        Receiver(int senders) {
            this.lastSeq = new long[senders];
            java.util.Arrays.fill(lastSeq, -1);
        }

        @Override
        public void line(String frame) {
            String line = settings.wire().line(frame);
            if (line != null) {
                received(line);
            }
        }

        private void received(String line) {
            int colon = line.indexOf(": ");
            if (colon < 0 || colon + 3 >= line.length()) {
                return; // a notice, e.g. a join or a leave
            }
            char phase = line.charAt(colon + 2);
            if (phase == 's') {
                if (Integer.parseInt(line.substring(colon + 4).trim()) == syncAttempt) {
                    synced.countDown();
                }
                return;
            }
            String[] parts = line.substring(colon + 4).split(" ", 4);
            int sender = Integer.parseInt(parts[0]);
            long seq = Long.parseLong(parts[1]);
            long sentAt = Long.parseLong(parts[2]);
            if (seq <= lastSeq[sender]) {
                violations.increment();
            }
            lastSeq[sender] = seq;
            if (phase == 'm') {
                latency.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
                delivered.increment();
            }
        }
    }
}
