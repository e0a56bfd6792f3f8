package io.github.wschat.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.Registration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class InProcessBrokerTest {

    @RepeatedTest(20)
    void everySubscriberSeesOneOrderWithEachPublishersEventsInSequence() throws Exception {
        InProcessBroker broker = new InProcessBroker();
        List<List<String>> seen = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        List<Long> sequences = new CopyOnWriteArrayList<>();
        broker.subscribe("r", (sequence, time, event) -> {
            sequences.add(sequence);
            seen.get(0).add(((RoomEvent.Message) event).text());
        });
        broker.subscribe("r", (sequence, time, event) -> seen.get(1).add(((RoomEvent.Message) event).text()));
        int threads = 8;
        int each = 500;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "p" + t;
            Thread publisher = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    broker.publish("r", new RoomEvent.Message(name, name + ":" + i));
                }
            });
            publisher.start();
            publishers.add(publisher);
        }
        start.countDown();
        for (Thread publisher : publishers) {
            publisher.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(threads * each, seen.get(0).size());
        assertEquals(seen.get(0), seen.get(1));
        for (int i = 0; i < sequences.size(); i++) {
            assertEquals(i + 1, sequences.get(i));
        }
        int[] next = new int[threads];
        for (String text : seen.get(0)) {
            int t = Integer.parseInt(text.substring(1, text.indexOf(':')));
            assertEquals(next[t]++, Integer.parseInt(text.substring(text.indexOf(':') + 1)));
        }
    }

    @Test
    void anEventPublishedDuringDeliveryComesAfterItForEverySubscriber() {
        InProcessBroker broker = new InProcessBroker();
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        broker.subscribe("r", (s, t, e) -> {
            first.add(s + " " + e);
            if (e instanceof RoomEvent.Message) {
                broker.publish("r", new RoomEvent.Left("dropped"));
            }
        });
        broker.subscribe("r", (s, t, e) -> second.add(s + " " + e));
        broker.publish("r", new RoomEvent.Message("a", "hi"));
        assertEquals(List.of("1 Message[nick=a, text=hi, author=]", "2 Left[nick=dropped]"), first);
        assertEquals(first, second);
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthersAndUnsubscribedListenersHearNothing() {
        InProcessBroker broker = new InProcessBroker();
        List<String> heard = new ArrayList<>();
        broker.subscribe("r", (s, t, e) -> {
            throw new IllegalStateException("listener bug");
        });
        broker.subscribe("r", (s, t, e) -> heard.add("second"));
        Registration third = broker.subscribe("r", (s, t, e) -> heard.add("third"));
        broker.publish("r", new RoomEvent.Left("x"));
        third.remove();
        broker.publish("r", new RoomEvent.Left("y"));
        broker.publish("nobody-here", new RoomEvent.Left("z"));
        assertEquals(List.of("second", "third", "second"), heard);
    }

    @Test
    void aKeyIsPlacedOnceAndARepeatGetsTheFirstPlace() {
        InProcessBroker broker = new InProcessBroker();
        List<String> seen = new CopyOnWriteArrayList<>();
        broker.subscribe("r", (sequence, time, event) -> seen.add(sequence + " " + ((RoomEvent.Message) event).text()));
        broker.publish("r", new RoomEvent.Message("a", "before"));
        Placement first = broker.publishOnce("r", new RoomEvent.Message("a", "once"), "i:a/1").toCompletableFuture().join();
        Placement again = broker.publishOnce("r", new RoomEvent.Message("a", "once"), "i:a/1").toCompletableFuture().join();
        Placement other = broker.publishOnce("r", new RoomEvent.Message("b", "once"), "i:b/1").toCompletableFuture().join();
        assertEquals(new Placement(broker.epoch("r"), 2, false), first);
        assertEquals(first.asRepeat(), again);
        assertEquals(3, other.sequence());
        assertEquals(List.of("1 before", "2 once", "3 once"), seen);
        Placement elsewhere = broker.publishOnce("s", new RoomEvent.Message("a", "x"), "i:a/1")
                .toCompletableFuture().exceptionally(e -> null).join();
        assertEquals(null, elsewhere, "a room no one reads takes nothing");
        assertThrows(IllegalArgumentException.class, () -> broker.publishOnce("r", new RoomEvent.Message("a", "x"), ""));
        assertThrows(IllegalArgumentException.class,
                () -> broker.publishOnce("r", new RoomEvent.Message("a", "x"), "k".repeat(201)));
        assertThrows(NullPointerException.class, () -> broker.publishOnce("r", new RoomEvent.Message("a", "x"), null));
        assertEquals("k".repeat(200), Broker.requireOnceKey("k".repeat(200)), "the rule every broker checks keys by");
    }

    @Test
    void aKeyIsForgottenAfterTheWindowAndKeptBeforeIt() {
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        InProcessBroker broker = new InProcessBroker(clock, Duration.ofMinutes(10));
        broker.subscribe("r", (sequence, time, event) -> { });
        RoomEvent line = new RoomEvent.Message("a", "x");
        assertFalse(broker.publishOnce("r", line, "k").toCompletableFuture().join().repeated());
        now.addAndGet(Duration.ofMinutes(9).toMillis());
        assertTrue(broker.publishOnce("r", line, "k").toCompletableFuture().join().repeated());
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        Placement later = broker.publishOnce("r", line, "k").toCompletableFuture().join();
        assertFalse(later.repeated(), "placed again after the window");
        assertEquals(2, later.sequence());
    }

    @Test
    void aKeyPublishedFromInsideAListenerGetsThePlaceItTakesAfterTheEventsWaiting() {
        InProcessBroker broker = new InProcessBroker();
        List<Long> sequences = new CopyOnWriteArrayList<>();
        List<Placement> placements = new CopyOnWriteArrayList<>();
        broker.subscribe("r", (sequence, time, event) -> {
            sequences.add(sequence);
            if (((RoomEvent.Message) event).text().equals("trigger")) {
                broker.publish("r", new RoomEvent.Message("a", "plain"));
                placements.add(broker.publishOnce("r", new RoomEvent.Message("a", "keyed"), "k").toCompletableFuture().join());
                placements.add(broker.publishOnce("r", new RoomEvent.Message("a", "keyed"), "k").toCompletableFuture().join());
            }
        });
        broker.publish("r", new RoomEvent.Message("a", "trigger"));
        assertEquals(List.of(1L, 2L, 3L), sequences);
        assertEquals(3, placements.get(0).sequence());
        assertEquals(placements.get(0).asRepeat(), placements.get(1));
    }

    @RepeatedTest(5)
    void ofManyThreadsPublishingOneKeyExactlyOnePlacesIt() throws Exception {
        InProcessBroker broker = new InProcessBroker();
        List<Long> sequences = new CopyOnWriteArrayList<>();
        broker.subscribe("r", (sequence, time, event) -> sequences.add(sequence));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Placement> placements = new CopyOnWriteArrayList<>();
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread publisher = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < 200; k++) {
                    placements.add(broker.publishOnce("r", new RoomEvent.Message("a", "k" + k), "k" + k)
                            .toCompletableFuture().join());
                }
            });
            publisher.start();
            publishers.add(publisher);
        }
        start.countDown();
        for (Thread publisher : publishers) {
            publisher.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(200, sequences.size(), "each key placed once");
        assertEquals(200, placements.stream().filter(p -> !p.repeated()).count());
        assertEquals(200, placements.stream().map(Placement::sequence).distinct().count());
    }
}
