package io.github.wschat.broker.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When an append's outcome completes: once the event reached this node's listeners, and not before. */
class RoomTopicTest {

    @Test
    void anOutcomeWaitsForItsEventUnlessANewSubscriptionsBacklogAlreadyHandedItOn() {
        RoomTopic topic = new RoomTopic("r", "P:{r}:events", Duration.ofSeconds(10));
        CompletableFuture<Void> early = new CompletableFuture<>();
        assertTrue(topic.awaitReadBack(3, early), "nothing delivered yet: it waits");
        topic.readUpTo("5-0", null); // the first subscriber's backlog ended at 5 and went to its listener
        assertTrue(early.isDone(), "the backlog carried it");
        assertFalse(topic.awaitReadBack(4, new CompletableFuture<>()), "at or before the backlog's end: done at once");
        CompletableFuture<Void> later = new CompletableFuture<>();
        assertTrue(topic.awaitReadBack(6, later), "after it: waits for the reader");
        assertFalse(later.isDone());
        topic.forget(); // an epoch handed over: numbering starts anew
        assertTrue(topic.awaitReadBack(1, new CompletableFuture<>()), "the new epoch's event 1 is still to come");
    }
}
