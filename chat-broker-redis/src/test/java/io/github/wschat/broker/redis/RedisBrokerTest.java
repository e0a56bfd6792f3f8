package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wschat.broker.RoomEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three brokers on one real Redis: one order per room, contiguous sequences, each publisher's order kept. */
class RedisBrokerTest {

    private RedisServer redis;
    private final List<RedisBroker> brokers = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            brokers.add(RedisBroker.connect(redis.uri()));
        }
    }

    @AfterEach
    void stop() throws Exception {
        brokers.forEach(RedisBroker::close);
        if (redis != null) {
            redis.close();
        }
    }

    private record Seen(long sequence, long time, RoomEvent event) {
    }

    @Test
    void everyNodeSeesEveryEventOfTheRoomInOneContiguousOrder() throws Exception {
        List<List<Seen>> seen = new ArrayList<>();
        for (RedisBroker broker : brokers) {
            List<Seen> mine = Collections.synchronizedList(new ArrayList<>());
            seen.add(mine);
            broker.subscribe("order", (sequence, time, event) -> mine.add(new Seen(sequence, time, event)));
        }
        int perPublisher = 500;
        int publishers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        CountDownLatch go = new CountDownLatch(1);
        for (int p = 0; p < publishers; p++) {
            RedisBroker broker = brokers.get(p % brokers.size());
            String nick = "p" + p;
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perPublisher; i++) {
                    broker.publish("order", new RoomEvent.Message(nick, Integer.toString(i)));
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertEquals(true, pool.awaitTermination(60, TimeUnit.SECONDS));
        int total = perPublisher * publishers;
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().allMatch(s -> s.size() == total));
        List<Seen> first = seen.get(0);
        for (List<Seen> other : seen) {
            assertEquals(first, other, "every node, one order");
        }
        for (int i = 0; i < total; i++) {
            assertEquals(i + 1, first.get(i).sequence(), "contiguous from 1");
        }
        for (int p = 0; p < publishers; p++) {
            String nick = "p" + p;
            List<String> texts = first.stream().map(Seen::event).filter(e -> ((RoomEvent.Message) e).nick().equals(nick))
                    .map(e -> ((RoomEvent.Message) e).text()).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perPublisher; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, texts, nick + "'s lines in the order published");
        }
    }

    @Test
    void everyKindOfEventTravels() throws Exception {
        List<RoomEvent> events = List.of(new RoomEvent.Joined("ann"), new RoomEvent.Message("ann", "hi ✓ café"),
                new RoomEvent.Action("ann", "waves"), new RoomEvent.Renamed("ann", "anna"),
                new RoomEvent.Private("anna", "bob", "psst"), new RoomEvent.Message("anna", ""),
                new RoomEvent.Left("anna"));
        List<RoomEvent> got = Collections.synchronizedList(new ArrayList<>());
        brokers.get(1).subscribe("kinds", (sequence, time, event) -> got.add(event));
        events.forEach(e -> brokers.get(0).publish("kinds", e));
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == events.size());
        assertEquals(events, got);
    }

    @Test
    void roomsAreSeparateAndASubscriptionEndsWhenRemoved() throws Exception {
        List<String> a = Collections.synchronizedList(new ArrayList<>());
        List<String> b = Collections.synchronizedList(new ArrayList<>());
        var subscription = brokers.get(0).subscribe("a", (s, t, e) -> a.add(((RoomEvent.Message) e).text()));
        brokers.get(1).subscribe("b", (s, t, e) -> b.add(((RoomEvent.Message) e).text()));
        brokers.get(2).publish("a", new RoomEvent.Message("x", "to a"));
        brokers.get(2).publish("b", new RoomEvent.Message("x", "to b"));
        await().atMost(Duration.ofSeconds(20)).until(() -> a.size() == 1 && b.size() == 1);
        assertEquals(List.of("to a"), a);
        assertEquals(List.of("to b"), b);
        subscription.remove();
        brokers.get(2).publish("a", new RoomEvent.Message("x", "unheard"));
        brokers.get(2).publish("b", new RoomEvent.Message("x", "marker"));
        await().atMost(Duration.ofSeconds(20)).until(() -> b.size() == 2);
        assertEquals(List.of("to a"), a);
    }
}
