package io.github.wschat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AnnouncementsTest {

    private final List<Integer> placed = new ArrayList<>(); // written by one placer at a time
    private final List<String> placers = new ArrayList<>();

    private void place(int announcement) {
        placed.add(announcement);
        placers.add(Thread.currentThread().getName());
    }

    @Test
    void withoutAnExecutorTheDrainingThreadPlacesEveryOneInOrder() {
        Announcements<Integer> announcements = new Announcements<>(this::place);
        IntStream.range(0, 100).forEach(announcements::add);
        announcements.drain();
        assertEquals(IntStream.range(0, 100).boxed().toList(), placed);
        assertTrue(placers.stream().allMatch(Thread.currentThread().getName()::equals));
    }

    @Test
    void aFewArePlacedWhereTheyWereDecided() {
        List<Runnable> handedOn = new ArrayList<>();
        Announcements<Integer> announcements = new Announcements<>(this::place, handedOn::add);
        for (int i = 0; i < Announcements.INLINE; i++) {
            announcements.add(i);
        }
        announcements.drain();
        assertEquals(List.of(0, 1, 2, 3), placed);
        assertEquals(List.of(), handedOn, "nothing left for the executor");
    }

    @Test
    void aBurstsRestIsPlacedByTheExecutorInOrderAndNoOneElsePlacesMeanwhile() {
        List<Runnable> handedOn = new ArrayList<>();
        Announcements<Integer> announcements = new Announcements<>(this::place, handedOn::add);
        IntStream.range(0, 10).forEach(announcements::add);
        announcements.drain();
        assertEquals(List.of(0, 1, 2, 3), placed, "the first few at once");
        assertEquals(1, handedOn.size());

        // Until the executor runs, it owns the drain: later drains leave their announcements to it.
        announcements.add(10);
        announcements.drain();
        assertEquals(List.of(0, 1, 2, 3), placed);
        assertEquals(1, handedOn.size());

        handedOn.get(0).run();
        assertEquals(IntStream.range(0, 11).boxed().toList(), placed);
        announcements.add(11);
        announcements.drain();
        assertEquals(12, placed.size(), "the drain is free again once the burst is placed");
    }

    @Test
    void anActionRunsInItsTurnAfterWhatWasAddedBeforeItEvenWhenABurstIsHandedOn() {
        List<Runnable> handedOn = new ArrayList<>();
        Announcements<Integer> announcements = new Announcements<>(this::place, handedOn::add);
        IntStream.range(0, 10).forEach(announcements::add);
        List<Integer> seenByTheAction = new ArrayList<>();
        announcements.then(() -> seenByTheAction.addAll(placed));
        announcements.add(10);
        announcements.drain();
        assertEquals(List.of(), seenByTheAction, "not before its turn");
        handedOn.get(0).run();
        assertEquals(IntStream.range(0, 10).boxed().toList(), seenByTheAction, "after the ten before it, before the one after");
        assertEquals(IntStream.range(0, 11).boxed().toList(), placed);
    }

    @Test
    void anExecutorThatRefusesLeavesTheBurstToTheDrainingThread() {
        Announcements<Integer> announcements = new Announcements<>(this::place, task -> {
            throw new RejectedExecutionException("stopped");
        });
        IntStream.range(0, 10).forEach(announcements::add);
        announcements.drain();
        assertEquals(IntStream.range(0, 10).boxed().toList(), placed);
    }

    @Test
    void aPlaceThatFailsDoesNotLeaveTheDrainTaken() {
        AtomicBoolean fail = new AtomicBoolean(true);
        Announcements<Integer> announcements = new Announcements<>(a -> {
            if (fail.getAndSet(false)) {
                throw new IllegalStateException("the broker is down");
            }
            place(a);
        });
        announcements.add(1);
        announcements.add(2);
        try {
            announcements.drain();
        } catch (IllegalStateException expected) {
            // the first one is lost, as a failed publish is
        }
        announcements.drain();
        assertEquals(List.of(2), placed);
    }

    /**
     * Many threads decide and drain at once, a real executor places the bursts: every announcement is
     * placed once, in the order added, by one placer at a time.
     */
    @Test
    void underManyThreadsEveryAnnouncementIsPlacedOnceInOrderOneAtATime() throws Exception {
        ExecutorService bursts = Executors.newSingleThreadExecutor(task -> new Thread(task, "bursts"));
        ExecutorService deciders = Executors.newFixedThreadPool(4);
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        Object lock = new Object();
        AtomicInteger next = new AtomicInteger();
        Announcements<Integer> announcements = new Announcements<>(a -> {
            if (inside.incrementAndGet() != 1) {
                overlapped.set(true);
            }
            place(a);
            inside.decrementAndGet();
        }, bursts);
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < 4; t++) {
                deciders.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        synchronized (lock) { // decided and added under the owner's lock, in order
                            announcements.add(next.getAndIncrement());
                        }
                        announcements.drain();
                    }
                });
            }
            start.countDown();
            deciders.shutdown();
            assertTrue(deciders.awaitTermination(30, TimeUnit.SECONDS));
            bursts.submit(() -> { }).get(30, TimeUnit.SECONDS); // a burst handed on before the last drain
            announcements.drain();
            bursts.submit(() -> { }).get(30, TimeUnit.SECONDS);
            synchronized (lock) {
                assertEquals(IntStream.range(0, 4 * perThread).boxed().toList(), placed);
            }
            assertFalse(overlapped.get(), "two placers at once");
        } finally {
            bursts.shutdownNow();
            deciders.shutdownNow();
        }
    }
}
