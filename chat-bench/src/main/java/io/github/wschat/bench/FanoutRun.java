package io.github.wschat.bench;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
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

    /** What to run. */
    record Settings(URI url, int clients, int senders, double rate, int payload, Duration warmup, Duration duration,
            long serverPid, int clientThreads) {
    }

    /** What was measured. */
    record Result(int clients, int senders, double offeredPerSecond, long linesSent, long expected, long delivered,
            double deliveriesPerSecond, Histogram latencyMicros, long orderViolations, double serverMicrosPerDelivery,
            double benchCores, long sendsBehind) {

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
    private volatile CountDownLatch synced;
    private volatile int syncAttempt = -1;

    FanoutRun(Settings settings) {
        this.settings = settings;
    }

    Result run() throws Exception {
        try (BenchClients clients = new BenchClients(settings.clientThreads())) {
            List<WebSocket> sockets = clients.open(settings.url(), settings.clients(), i -> new Receiver(settings.senders()));
            sync(sockets.get(0));
            Sender[] senders = new Sender[settings.senders()];
            for (int s = 0; s < senders.length; s++) {
                senders[s] = new Sender(s, sockets.get(s));
            }
            send(senders, 'w', settings.warmup());
            latency.reset();
            delivered.reset();
            long linesBefore = sentLines(senders);
            long cpuBefore = ServerFigures.cpuMicros(settings.serverPid());
            long ownBefore = ServerFigures.ownCpuMicros();
            long start = System.nanoTime();
            send(senders, 'm', settings.duration());
            long lines = sentLines(senders) - linesBefore;
            long expected = lines * settings.clients();
            long drainEnd = System.nanoTime() + DRAIN_LIMIT_NANOS;
            while (delivered.sum() < expected && System.nanoTime() < drainEnd) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            long end = System.nanoTime();
            long cpuAfter = ServerFigures.cpuMicros(settings.serverPid());
            long ownAfter = ServerFigures.ownCpuMicros();
            double seconds = (end - start) / 1e9;
            long got = delivered.sum();
            long behind = 0;
            for (Sender sender : senders) {
                behind += sender.behind;
            }
            for (WebSocket socket : sockets) {
                socket.abort();
            }
            return new Result(settings.clients(), settings.senders(),
                    settings.senders() * settings.rate() * settings.clients(), lines, expected, got, got / seconds,
                    latency.getIntervalHistogram(), violations.sum(),
                    settings.serverPid() > 0 && got > 0 ? (double) (cpuAfter - cpuBefore) / got : Double.NaN,
                    (ownAfter - ownBefore) / 1e6 / seconds, behind);
        }
    }

    /** Waits until every client is in the room: one line from the first client reaches them all. */
    private void sync(WebSocket first) throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            synced = new CountDownLatch(settings.clients());
            syncAttempt = attempt;
            first.sendText("s " + attempt, true).get(10, TimeUnit.SECONDS);
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

    /** Sends at the rate for a while; a sender whose previous line is still being written catches up later. */
    private void send(Sender[] senders, char phase, Duration duration) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long[] due = new long[senders.length];
        String padding = "x".repeat(Math.max(0, settings.payload() - 40));
        for (long now = start; now < end; now = System.nanoTime()) {
            double elapsed = (now - start) / 1e9;
            for (int s = 0; s < senders.length; s++) {
                long target = (long) (elapsed * settings.rate());
                while (due[s] < target) {
                    if (!senders[s].trySend(phase, padding)) {
                        senders[s].behind++;
                        break;
                    }
                    due[s]++;
                }
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // pacing the offered load
        }
    }

    private static final class Sender {
        private final int id;
        private final WebSocket socket;
        private long seq;
        private long sent;
        private long behind;
        private CompletableFuture<WebSocket> last = CompletableFuture.completedFuture(null);

        Sender(int id, WebSocket socket) {
            this.id = id;
            this.socket = socket;
        }

        boolean trySend(char phase, String padding) {
            if (!last.isDone()) {
                return false;
            }
            last = socket.sendText(phase + " " + id + " " + seq++ + " " + System.nanoTime() + " " + padding, true);
            sent++;
            return true;
        }
    }

    /** One client's receiving side: times measured lines and checks each sender's order. */
    private final class Receiver implements WebSocket.Listener {
        private final long[] lastSeq;
        private StringBuilder partial;

        Receiver(int senders) {
            this.lastSeq = new long[senders];
            java.util.Arrays.fill(lastSeq, -1);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!last) {
                (partial == null ? partial = new StringBuilder() : partial).append(data);
                return null;
            }
            CharSequence whole = data;
            if (partial != null) {
                whole = partial.append(data);
                partial = null;
            }
            received(whole.toString());
            return null;
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
