package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class NicknameRegistryTest {

    @Test
    void tenThousandAssignmentsNeverCollideAndFollowTheSeed() {
        NicknameRegistry registry = new NicknameRegistry(bound -> ThreadLocalRandom.current().nextInt(bound));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String nick = registry.claimRandom("c:" + i);
            assertTrue(nick.matches("user-\\d{1,5}"), nick);
            assertTrue(Integer.parseInt(nick.substring(5)) < NicknameRegistry.SEED_RANGE, nick);
            assertTrue(seen.add(nick), "collision: " + nick);
        }
        assertEquals(10_000, registry.size());
    }

    @Test
    void aRandomSourceThatAlwaysRepeatsStillYieldsUniqueNames() {
        NicknameRegistry registry = new NicknameRegistry(bound -> 7);
        assertEquals("user-7", registry.claimRandom("c:1"));
        assertEquals("user-8", registry.claimRandom("c:2"));
        registry.release("user-7", "c:1");
        assertEquals("user-7", registry.claimRandom("c:3"));
    }

    @Test
    void namesAreComparedWithoutRegardToCase() {
        NicknameRegistry registry = new NicknameRegistry(bound -> 0);
        assertTrue(registry.claim("Ann", "c:1"));
        assertFalse(registry.claim("aNN", "c:2"));
        registry.release("ANN", "c:1");
        assertTrue(registry.claim("ann", "c:2"));
    }

    @Test
    void onePersonHoldsANameSeveralTimesAndFreesItWithTheLastHold() {
        NicknameRegistry registry = new NicknameRegistry(bound -> 0);
        assertTrue(registry.claim("alice", "i:alice"));
        assertTrue(registry.claim("Alice", "i:alice"), "the same person, in another room");
        assertFalse(registry.claim("alice", "i:mallory"));
        assertFalse(registry.isTaken("alice", "i:alice"), "not taken by someone else, for her");
        assertTrue(registry.isTaken("alice", "i:bob"));
        registry.release("alice", "i:mallory");
        registry.release("alice", "i:alice");
        assertTrue(registry.isTaken("alice"), "one hold is left");
        registry.release("alice", "i:alice");
        assertFalse(registry.isTaken("alice"));
        assertTrue(registry.claim("alice", "i:bob"));
    }
}
