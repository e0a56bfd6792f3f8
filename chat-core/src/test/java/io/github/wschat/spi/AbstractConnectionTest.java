package io.github.wschat.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.CloseCodes;
import io.github.wschat.Connection;
import io.github.wschat.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class AbstractConnectionTest {

    @Test
    void eventsBeforeOpenWaitForItAndNothingFollowsClose() {
        TestConnection connection = new TestConnection("c1", "/");
        List<String> events = new ArrayList<>();
        connection.onOpen(() -> events.add("open"));
        connection.onMessage(text -> events.add("message " + text));
        connection.onClose((code, reason) -> events.add("close " + code));
        connection.open();
        connection.receive("a");
        connection.drop();
        connection.drop();
        connection.receive("late");
        assertEquals(List.of("open", "message a", "close 1006"), events);
        assertFalse(connection.send("x"));
    }

    @Test
    void aThrowingMessageHandlerClosesWith1011AndOtherHandlersStillRun() {
        TestConnection connection = new TestConnection("c1", "/");
        List<String> seen = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        connection.onMessage(text -> {
            throw new IllegalStateException("boom");
        });
        connection.onMessage(seen::add);
        connection.onError(errors::add);
        connection.open();
        connection.receive("m");
        assertEquals(List.of("m"), seen);
        assertEquals(List.of(CloseCodes.INTERNAL_ERROR), connection.closeCodes);
        assertEquals("boom", errors.get(0).getMessage());
    }

    @Test
    void binaryCloses1003AndRemovedHandlersAreNotCalled() {
        TestConnection connection = new TestConnection("c1", "/");
        List<String> seen = new ArrayList<>();
        connection.onMessage(seen::add).remove();
        connection.open();
        connection.receive("m");
        connection.receiveBinary();
        assertEquals(List.of(), seen);
        assertEquals(List.of(CloseCodes.UNSUPPORTED_DATA), connection.closeCodes);
    }

    @Test
    void handlersRunInTheOrderAddedAndEachRegistrationRemovesOneOccurrence() {
        TestConnection connection = new TestConnection("c1", "/");
        List<String> seen = new ArrayList<>();
        Connection.MessageHandler twice = text -> seen.add("twice " + text);
        Registration first = connection.onMessage(twice);
        connection.onMessage(text -> seen.add("other " + text));
        connection.onMessage(twice);
        connection.open();
        connection.receive("a");
        first.remove();
        first.remove(); // the second call finds one occurrence left and removes it too
        connection.receive("b");
        assertEquals(List.of("twice a", "other a", "twice a", "other b"), seen);
    }

    @Test
    void aHandlerRemovedWhileEventsAreDeliveredMissesOnlyLaterEvents() {
        TestConnection connection = new TestConnection("c1", "/");
        List<String> seen = new ArrayList<>();
        Registration[] later = new Registration[1];
        connection.onMessage(text -> {
            seen.add("first " + text);
            later[0].remove();
        });
        later[0] = connection.onMessage(text -> seen.add("second " + text));
        connection.open();
        connection.receive("a");
        connection.receive("b");
        // The event under way had its handlers taken when it began.
        assertEquals(List.of("first a", "second a", "first b"), seen);
    }

    @RepeatedTest(20)
    void handlersAddedAndRemovedFromManyThreadsAreNotLost() throws Exception {
        TestConnection connection = new TestConnection("c1", "/");
        AtomicInteger calls = new AtomicInteger();
        int threads = 4;
        int each = 500;
        List<Registration> kept = new CopyOnWriteArrayList<>();
        atOnce(threads, t -> {
            for (int i = 0; i < each; i++) {
                Registration registration = connection.onMessage(text -> calls.incrementAndGet());
                if (i % 2 == 0) {
                    registration.remove();
                } else {
                    kept.add(registration);
                }
            }
        });
        connection.open();
        connection.receive("m");
        assertEquals(threads * each / 2, calls.get());
        kept.forEach(Registration::remove);
        connection.receive("n");
        assertEquals(threads * each / 2, calls.get());
    }

    @RepeatedTest(20)
    void eventsFiredFromManyThreadsAreDeliveredOneAtATime() throws Exception {
        TestConnection connection = new TestConnection("c1", "/");
        AtomicInteger inside = new AtomicInteger();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        List<String> received = new CopyOnWriteArrayList<>();
        connection.onMessage(text -> {
            if (inside.incrementAndGet() != 1) {
                overlaps.add(text);
            }
            received.add(text);
            inside.decrementAndGet();
        });
        connection.open();
        int threads = 8;
        int each = 2_000;
        atOnce(threads, t -> {
            for (int i = 0; i < each; i++) {
                connection.receive(t + ":" + i);
            }
        });
        assertEquals(List.of(), overlaps);
        assertEquals(threads * each, received.size());
        int[] next = new int[threads];
        for (String text : received) {
            String[] parts = text.split(":");
            int t = Integer.parseInt(parts[0]);
            assertEquals(next[t]++, Integer.parseInt(parts[1]), "per-thread order");
        }
        assertTrue(connection.isOpen());
    }

    /** Runs {@code work} on that many threads started at once; returns when all have ended. */
    private static void atOnce(int threads, IntConsumer work) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                work.accept(id);
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(worker.isAlive(), "a worker is stuck");
        }
    }
}
