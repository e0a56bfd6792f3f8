package io.github.wschat.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The broker's logs and the demo's banner name the Redis, never its password. */
class RedactionTest {

    @Test
    void aPasswordNeverAppearsInTheDescription() {
        String described = RedisBroker.describe("redis://:s3cret-pw@cache.example:6380/2");
        assertEquals("redis://cache.example:6380/2", described);
        assertFalse(RedisBroker.describe("rediss://user:s3cret-pw@cache.example").contains("s3cret-pw"));
        assertFalse(RedisBroker.describe("redis-sentinel://:s3cret-pw@s1:26379,s2:26379#mymaster").contains("s3cret-pw"));
        assertEquals("redis://10.0.0.1:7000/0,redis://10.0.0.2:7000/0",
                RedisBroker.describe("redis://:pw@10.0.0.1:7000,redis://:pw@10.0.0.2:7000"), "a cluster's seeds");
    }
}
