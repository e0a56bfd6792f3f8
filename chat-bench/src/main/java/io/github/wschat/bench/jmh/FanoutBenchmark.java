package io.github.wschat.bench.jmh;

import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.protocol.PlainTextFormat;
import io.github.wschat.server.ChatServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path in core: one line in, a frame queued on every member. {@code roomFanout} runs a
 * whole ChatServer on a transport whose connections only count (see {@link NullTransport}), so it
 * measures the chat's work and nothing of the network's; the encode benchmarks measure the wire
 * formats alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FanoutBenchmark {

    @Param({"1000"})
    int members;

    @Param({"0", "50"})
    int jsonPercent;

    /**
     * What the application adds to the hot path: {@code none}; {@code filter}, one synchronous line
     * filter that accepts everything; {@code listener}, one listener that does nothing; or both
     * (issue #20: at most 5 % over none).
     */
    @Param({"none", "filter", "listener", "filter+listener"})
    String hooks;

    private ChatServer server;
    private NullTransport.NullConnection sender;
    private NullTransport.NullConnection jsonSender;
    private long nextId;
    private final RoomEvent.Message message = new RoomEvent.Message("user-4711", "a line of about sixty characters, as people type");

    @Setup(Level.Trial)
    public void start() throws Exception {
        NullTransport transport = new NullTransport();
        ChatServer.Builder builder = ChatServer.builder().transport(transport).port(0).rateLimit(1e12, Integer.MAX_VALUE)
                .maxConnectionsPerAddress(Integer.MAX_VALUE).maxConnections(Integer.MAX_VALUE)
                .historySize(50).announceJoins(false);
        if (hooks.contains("filter")) {
            builder.lineFilter(LineFilter.synchronous((sender, room, line) -> LineVerdict.accept()));
        }
        if (hooks.contains("listener")) {
            builder.listener(event -> { });
        }
        server = builder.start();
        List<NullTransport.NullConnection> room = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            boolean json = i * 100 < members * jsonPercent;
            room.add(transport.connect("/chat/bench", json ? JsonFormat.SUBPROTOCOL : ""));
        }
        sender = room.get(room.size() - 1);
        jsonSender = transport.connect("/chat/bench", JsonFormat.SUBPROTOCOL);
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    /** One line from one member to a room of {@code members}: parse, order, encode, queue on each. */
    @Benchmark
    public long roomFanout() {
        sender.receive("a line of about sixty characters, as people type");
        return sender.frames;
    }

    /** One JSON {@code say} without an id: the baseline of {@link #roomFanoutJsonSayWithId}. */
    @Benchmark
    public long roomFanoutJsonSay() {
        jsonSender.receive("{\"type\":\"say\",\"text\":\"a line of about sixty characters, as people type\"}");
        return jsonSender.frames;
    }

    /**
     * One JSON {@code say} with an id (issue #21): placed once per id (the broker remembers it) and
     * acknowledged to the sender.
     */
    @Benchmark
    public long roomFanoutJsonSayWithId() {
        jsonSender.receive("{\"type\":\"say\",\"id\":\"b-" + nextId++
                + "\",\"text\":\"a line of about sixty characters, as people type\"}");
        return jsonSender.frames;
    }

    /** The plain format's frame for one message. */
    @Benchmark
    public String encodePlain() {
        return PlainTextFormat.INSTANCE.event(42, 1_764_000_000_000L, message);
    }

    /** The JSON format's frame for one message. */
    @Benchmark
    public String encodeJson() {
        return JsonFormat.INSTANCE.event(42, 1_764_000_000_000L, message);
    }
}
