package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.app.PlacedEvent;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.tck.TckClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listener on each of three nodes on one real Redis: together they hear every event of the room
 * exactly once — 30 clients, 100 lines each, joins and leaves — each with the position and time every
 * member saw.
 */
class ClusterListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private ChatNodes cluster;

    @AfterEach
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void listenersOnThreeNodesHearEveryEventOnceBetweenThem() throws Exception {
        List<List<PlacedEvent>> heard = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        int[] next = {0};
        cluster = ChatNodes.start(3, Duration.ofSeconds(2), builder -> builder.historySize(0).announceJoins(true)
                .listener(heard.get(next[0]++)::add));
        int count = 30;
        int lines = 100;
        List<TckClient> members = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            members.add(cluster.connect(c % 3, "/chat/saved?nick=c" + c));
        }
        await().atMost(WAIT).until(() -> cluster.nodes.stream().allMatch(n -> n.memberCount() == count / 3));
        for (int i = 0; i < lines; i++) {
            for (int c = 0; c < count; c++) {
                members.get(c).send("line " + i);
            }
        }
        // The last member reads everything: all joins it saw after its own, and every line.
        TckClient last = members.get(count - 1);
        List<String> seen = new ArrayList<>();
        while (seen.stream().filter(l -> l.contains(": line ")).count() < (long) count * lines) {
            seen.add(last.nextMessage(WAIT));
        }
        for (TckClient member : members.subList(0, count - 1)) {
            member.close(1000, "");
        }
        for (int c = 0; c < count - 1; c++) {
            seen.add(last.nextMessage(WAIT));
        }
        int total = count + count * lines + (count - 1); // joins, lines, leaves
        await().atMost(WAIT).until(() -> heard.stream().mapToInt(List::size).sum() >= total);

        List<PlacedEvent> all = heard.stream().flatMap(List::stream).toList();
        assertEquals(total, all.size(), "every event heard once between the three nodes");
        Map<Long, PlacedEvent> bySeq = all.stream().collect(Collectors.toMap(PlacedEvent::sequence, Function.identity(),
                (a, b) -> { throw new AssertionError("heard twice: " + a + " and " + b); }, TreeMap::new));
        assertEquals(1L, bySeq.keySet().iterator().next());
        assertEquals((long) total, ((TreeMap<Long, PlacedEvent>) bySeq).lastKey(), "no gap");
        for (int node = 0; node < 3; node++) {
            assertTrue(heard.get(node).size() > count * lines / 3 - 1, "node " + (node + 1) + " heard its own members' events");
            List<Long> order = heard.get(node).stream().map(PlacedEvent::sequence).toList();
            assertEquals(order.stream().sorted().toList(), order, "each node tells in the room's order");
        }
        // What the last member read is what the listeners heard, in the same order.
        List<String> said = bySeq.values().stream().map(PlacedEvent::event)
                .filter(e -> e instanceof RoomEvent.Message).map(e -> ((RoomEvent.Message) e).nick() + ": "
                        + ((RoomEvent.Message) e).text()).toList();
        assertEquals(seen.stream().filter(l -> l.contains(": line ")).toList(), said);
        assertTrue(all.stream().allMatch(e -> e.room().equals("saved") && !e.epoch().isEmpty() && e.time() > 0));
    }

    @Test
    void theLeavesOfADeadNodesMembersAreHeardOnceFromTheSurvivorThatAnnouncedThem() throws Exception {
        List<List<PlacedEvent>> heard = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        int[] next = {0};
        cluster = ChatNodes.start(3, Duration.ofSeconds(2), builder -> builder.historySize(0)
                .listener(heard.get(next[0]++)::add));
        TckClient ann = cluster.connect(0, "/chat/dead?nick=ann");
        cluster.connect(2, "/chat/dead?nick=cy");
        cluster.connect(2, "/chat/dead?nick=dee");
        await().atMost(WAIT).until(() -> cluster.nodes.get(2).memberCount() == 2);
        cluster.brokers.get(2).crash(); // as SIGKILL leaves it
        cluster.nodes.get(2).close();
        List<String> leaves = new ArrayList<>(List.of(ann.nextMessage(WAIT), ann.nextMessage(WAIT)));
        leaves.sort(null);
        assertEquals(List.of(" .... cy has left.", " .... dee has left."), leaves);
        await().atMost(WAIT).until(() -> heard.get(0).size() + heard.get(1).size() == 2);
        List<RoomEvent> told = new ArrayList<>();
        heard.get(0).forEach(e -> told.add(e.event()));
        heard.get(1).forEach(e -> told.add(e.event()));
        assertEquals(2, told.size(), "each leave once, from a survivor: " + told);
        assertTrue(told.containsAll(List.of(new RoomEvent.Left("cy"), new RoomEvent.Left("dee"))), told.toString());
    }
}
