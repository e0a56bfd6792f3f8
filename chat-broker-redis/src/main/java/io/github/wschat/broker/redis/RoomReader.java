package io.github.wschat.broker.redis;

/**
 * What reads the subscribed rooms' streams and delivers each entry to its {@link RoomTopic}, in stream
 * order: {@link StreamReader} on one Redis (one blocking XREAD over every room), {@link ShardReaders}
 * on a Redis Cluster (a reader per shard). After a dropped connection it has the epochs checked
 * ({@link EpochHandover#recheck}) before it reads again, and it tells the broker when Redis is lost
 * and found again. Thread-safe.
 */
interface RoomReader {

    void start();

    /** A room's topic has read its backlog: read it from there on. */
    void reading(String room);

    /** A room's topic was dropped: read it no more. */
    void notReading(String room);

    /** Stops reading and waits a little for the threads to end. */
    void stop();

    /** Stops at once, as a killed process would: for tests. */
    void kill();
}
