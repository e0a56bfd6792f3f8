package io.github.wschat.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wschat.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        assertEquals(List.of("1 Message[nick=a, text=hi]", "2 Left[nick=dropped]"), first);
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
}
