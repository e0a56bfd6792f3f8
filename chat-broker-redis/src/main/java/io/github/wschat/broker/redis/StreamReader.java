package io.github.wschat.broker.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that reads the subscribed rooms' streams on one connection, with one blocking XREAD over
 * all of them, and delivers each entry to its room in stream order. After a dropped connection it
 * first has the epochs checked (and handed over where Redis lost its data, or a new room epoch taken
 * where Redis came back with older data), and every lease the rooms' epochs; it tells the broker when
 * Redis is lost and found again. A room subscribed meanwhile {@linkplain #wake wakes} it, so that the
 * next read includes it.
 */
final class StreamReader implements RoomReader {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);

    private final StatefulRedisConnection<String, String> reader;
    private final StatefulRedisConnection<String, String> writer;
    private final long readerId;
    private final ConcurrentMap<String, RoomTopic> topics;
    private final EpochHandover epochs;
    private final Duration block;
    private final long checkNanos;
    private final Consumer<Boolean> availability;
    private final Thread thread;
    private final Object idle = new Object();
    private volatile boolean stopped;

    /**
     * @param reader the connection it blocks on, its own
     * @param writer another connection, to end a blocking read from outside
     * @param check how often the rooms' epochs are checked besides ({@link EpochHandover#checkRooms})
     * @param availability told false when reading fails, true when the epoch was checked again
     */
    StreamReader(StatefulRedisConnection<String, String> reader, StatefulRedisConnection<String, String> writer,
            ConcurrentMap<String, RoomTopic> topics, EpochHandover epochs, Duration block, Duration check,
            Consumer<Boolean> availability) {
        this.reader = reader;
        this.writer = writer;
        this.readerId = reader.sync().clientId();
        this.topics = topics;
        this.epochs = epochs;
        this.block = block;
        this.checkNanos = check.toNanos();
        this.availability = availability;
        this.thread = new Thread(this::readLoop, "wschat-redis-reader");
        thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public void reading(String room) {
        wake();
    }

    @Override
    public void notReading(String room) {
        // the next read leaves it out
    }

    /** Ends the current XREAD, so that the next one reads a new room's stream too. */
    private void wake() {
        try {
            writer.async().clientUnblock(readerId, UnblockType.TIMEOUT);
        } catch (RedisException e) {
            log.debug("Could not wake the reader", e);
        }
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    @Override
    public void stop() {
        stopped = true;
        wake();
        try {
            thread.join(block.toMillis() * 2 + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void kill() {
        stopped = true;
        thread.interrupt();
    }

    private void readLoop() {
        boolean recheck = false;
        long checked = System.nanoTime();
        while (!stopped) {
            long dropped = epochs.drops();
            if (recheck || epochs.unhandledDrop()) {
                // Everything read is delivered: what this node has not read back of its own, it may never.
                topics.values().forEach(RoomTopic::unconfirm);
                try {
                    epochs.recheck();
                    recheck = false;
                    epochs.handled(dropped);
                    availability.accept(true);
                } catch (RedisException e) {
                    availability.accept(false);
                    sleepQuietly(100);
                    continue;
                }
            }
            List<RoomTopic> reading = new ArrayList<>(topics.size());
            for (RoomTopic topic : topics.values()) {
                if (topic.lastId != null) { // null until its subscription has read the backlog
                    reading.add(topic);
                }
            }
            List<StreamMessage<String, String>> messages;
            try {
                if (System.nanoTime() - checked > checkNanos) {
                    // A room whose keys expired under a reader (its members' presence lost) came back anew.
                    epochs.checkRooms(false);
                    checked = System.nanoTime();
                }
                if (reading.isEmpty()) {
                    // No room to read, but an outage must still be seen, to hand over with the others.
                    reader.sync().ping();
                    synchronized (idle) {
                        idle.wait(block.toMillis());
                    }
                    continue;
                }
                messages = reader.sync().xread(XReadArgs.Builder.block(block).count(1024), offsets(reading));
            } catch (InterruptedException e) {
                return;
            } catch (RedisException e) {
                if (!stopped) {
                    log.warn("Reading the rooms' streams failed; retrying: {}", e.toString());
                    recheck = true;
                    availability.accept(false);
                    sleepQuietly(100);
                }
                continue;
            }
            if (messages != null) {
                for (StreamMessage<String, String> message : messages) {
                    RoomTopic topic = topicOf(reading, message.getStream());
                    if (topic != null) {
                        topic.deliver(message);
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static XReadArgs.StreamOffset<String>[] offsets(List<RoomTopic> reading) {
        XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[reading.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = XReadArgs.StreamOffset.from(reading.get(i).key, reading.get(i).lastId);
        }
        return offsets;
    }

    private static RoomTopic topicOf(List<RoomTopic> reading, String key) {
        for (RoomTopic topic : reading) {
            if (topic.key.equals(key)) {
                return topic;
            }
        }
        return null;
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
