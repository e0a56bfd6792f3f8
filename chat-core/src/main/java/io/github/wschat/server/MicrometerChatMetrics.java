package io.github.wschat.server;

import io.github.wschat.CloseCodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The chat's meters, bound to a registry the caller owns (docs/OPERATIONS.md lists them). Gauges
 * read live state; counters are looked up once per tag value and kept. Every meter carries the tag
 * {@code transport}; none is tagged by room, so the number of series stays bounded whatever the
 * number of rooms. Thread-safe.
 */
final class MicrometerChatMetrics implements ChatMetrics, MeterBinder {

    private final Tags common;
    private final IntSupplier rooms;
    private final IntSupplier members;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<Integer, Counter> handshakes = new ConcurrentHashMap<>();
    private final Map<String, Counter> closes = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private MeterRegistry registry;
    private Counter received;
    private Counter deliveries;
    private Counter bytes;
    private Timer fanout;
    private DistributionSummary outbound;

    MicrometerChatMetrics(String transport, IntSupplier rooms, IntSupplier members) {
        this.common = Tags.of("transport", transport);
        this.rooms = rooms;
        this.members = members;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("wschat.connections", connections, AtomicInteger::get).tags(common)
                .description("open connections that are members of a room").register(registry);
        Gauge.builder("wschat.rooms", rooms, IntSupplier::getAsInt).tags(common)
                .description("rooms on this server").register(registry);
        Gauge.builder("wschat.members", members, IntSupplier::getAsInt).tags(common)
                .description("members in all rooms").register(registry);
        received = Counter.builder("wschat.lines.received").tags(common)
                .description("message frames received from members").register(registry);
        deliveries = Counter.builder("wschat.deliveries").tags(common)
                .description("frames queued on members by fan-out").register(registry);
        bytes = Counter.builder("wschat.sent").baseUnit("bytes").tags(common)
                .description("text queued on members by fan-out (UTF-8, without frame headers)").register(registry);
        outbound = DistributionSummary.builder("wschat.outbound.queued").baseUnit("bytes").tags(common)
                .description("bytes waiting to be written to a member, sampled for every member every "
                        + ChatRuntime.OUTBOUND_SAMPLE_SECONDS + " s")
                .publishPercentiles(0.5, 0.99).register(registry);
        fanout = Timer.builder("wschat.fanout").tags(common)
                .description("from a line's arrival to the end of its fan-out")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    @Override
    public boolean timesFanout() {
        return true;
    }

    @Override
    public void handshake(int status) {
        handshakes.computeIfAbsent(status, s -> Counter.builder("wschat.handshakes").tags(common)
                .tag("outcome", s == 101 ? "accepted" : "refused").tag("status", Integer.toString(s))
                .description("opening handshakes answered, by outcome and status").register(registry)).increment();
    }

    @Override
    public void opened() {
        connections.incrementAndGet();
    }

    @Override
    public void closed(int code, String reason) {
        connections.decrementAndGet();
        String cause = causeOf(code, reason);
        closes.computeIfAbsent(code + "/" + cause, key -> Counter.builder("wschat.closes").tags(common)
                .tag("code", Integer.toString(code)).tag("cause", cause)
                .description("member connections closed, by close code and cause").register(registry)).increment();
    }

    /** Tells the causes apart that share a code: 1008 is a flood or a slow reader. */
    static String causeOf(int code, String reason) {
        switch (code) {
            case CloseCodes.NORMAL:
                return "normal";
            case CloseCodes.GOING_AWAY:
                return "going_away";
            case CloseCodes.PROTOCOL_ERROR:
            case CloseCodes.INVALID_PAYLOAD:
                return "protocol_error";
            case CloseCodes.UNSUPPORTED_DATA:
                return "binary";
            case CloseCodes.ABNORMAL:
                return "vanished_or_dead_peer";
            case CloseCodes.POLICY_VIOLATION:
                return reason.startsWith("too slow") ? "slow_reader"
                        : reason.startsWith("flooding") ? "flood" : "policy";
            case CloseCodes.MESSAGE_TOO_BIG:
                return "message_too_big";
            case CloseCodes.INTERNAL_ERROR:
                return "internal_error";
            default:
                return "other";
        }
    }

    @Override
    public boolean samplesOutbound() {
        return true;
    }

    @Override
    public void outboundQueued(long bytes) {
        outbound.record(bytes);
    }

    @Override
    public void lineReceived() {
        received.increment();
    }

    @Override
    public void lineRefused(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("wschat.lines.refused").tags(common).tag("reason", r)
                .description("lines not sent, by reason").register(registry)).increment();
    }

    @Override
    public void delivered(int count, long size) {
        deliveries.increment(count);
        bytes.increment(size);
    }

    @Override
    public void fannedOut(long nanos) {
        fanout.record(nanos, TimeUnit.NANOSECONDS);
    }
}
