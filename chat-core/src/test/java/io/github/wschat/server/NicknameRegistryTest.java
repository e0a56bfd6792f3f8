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
            String nick = registry.claimRandom();
            assertTrue(nick.matches("user-\\d{1,5}"), nick);
            assertTrue(Integer.parseInt(nick.substring(5)) < NicknameRegistry.SEED_RANGE, nick);
            assertTrue(seen.add(nick), "collision: " + nick);
        }
        assertEquals(10_000, registry.size());
    }

    @Test
    void aRandomSourceThatAlwaysRepeatsStillYieldsUniqueNames() {
        NicknameRegistry registry = new NicknameRegistry(bound -> 7);
        assertEquals("user-7", registry.claimRandom());
        assertEquals("user-8", registry.claimRandom());
        registry.release("user-7");
        assertEquals("user-7", registry.claimRandom());
    }

    @Test
    void namesAreComparedWithoutRegardToCase() {
        NicknameRegistry registry = new NicknameRegistry(bound -> 0);
        assertTrue(registry.claim("Ann"));
        assertFalse(registry.claim("aNN"));
        registry.release("ANN");
        assertTrue(registry.claim("ann"));
    }
}
