package io.github.wschat.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.CloseCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
                for (int i = 0; i < each; i++) {
                    connection.receive(id + ":" + i);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }
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
}
