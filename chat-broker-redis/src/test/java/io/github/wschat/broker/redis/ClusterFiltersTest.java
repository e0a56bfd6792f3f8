package io.github.wschat.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import io.github.wschat.tck.TckClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Line filters on three nodes on one real Redis: each node filters its own members' lines, and what
 * it decided is what every node's members see, in the room's one order.
 */
class ClusterFiltersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private ChatNodes cluster;

    @AfterEach
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void rewrittenLinesReachEveryNodeRefusedOnesNoneAndASlowSendersLinesKeepTheirOrder() throws Exception {
        CountDownLatch othersSeen = new CountDownLatch(1);
        LineFilter words = LineFilter.synchronous((sender, room, line) -> line.text().contains("buy now")
                ? LineVerdict.refuse("no adverts here")
                : line.text().contains("darn") ? LineVerdict.rewrite(line.text().replace("darn", "d**n"))
                : LineVerdict.accept());
        // Ann's lines take 200 ms each to check and wait until bob's line was seen (at most 10 s).
        LineFilter slowForAnn = (sender, room, line) -> !sender.nick().equals("ann")
                ? CompletableFuture.completedStage(LineVerdict.accept())
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        othersSeen.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return LineVerdict.accept();
                }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
        cluster = ChatNodes.start(3, Duration.ofSeconds(2), builder -> builder.historySize(0).lineFilter(words)
                .lineFilter(slowForAnn).lineFilterDeadline(Duration.ofSeconds(30), LineVerdict.accept()));
        TckClient ann = cluster.connect(0, "/chat/filtered?nick=ann");
        TckClient bob = cluster.connect(1, "/chat/filtered?nick=bob");
        TckClient eve = cluster.connect(2, "/chat/filtered?nick=eve");
        await().atMost(WAIT).until(() -> cluster.nodes.stream().allMatch(n -> n.memberCount() == 1));

        bob.send("darn it");
        bob.send("cheap pills, buy now");
        bob.send("done");
        // The refusal goes to bob at once; his placed lines come back through Redis, perhaps after it.
        List<String> bobSaw = new java.util.ArrayList<>(bob.nextMessages(3, WAIT));
        assertEquals(true, bobSaw.remove(" .... no adverts here"), bobSaw.toString());
        assertEquals(List.of("bob: d**n it", "bob: done"), bobSaw);
        for (TckClient member : List.of(ann, eve)) {
            assertEquals(List.of("bob: d**n it", "bob: done"), member.nextMessages(2, WAIT), "the refused line reached no one");
        }

        for (int i = 0; i < 100; i++) {
            ann.send("line " + i);
        }
        bob.send("not waiting");
        assertEquals("bob: not waiting", eve.nextMessage(WAIT), "bob's line came before any of ann's");
        othersSeen.countDown();
        for (int i = 0; i < 100; i++) {
            assertEquals("ann: line " + i, eve.nextMessage(WAIT), "ann's lines in the order sent, on node 3");
        }
    }

    @Test
    void aFilterThatThrowsOrIsLateHasTheSameOutcomeOnEveryNode() throws Exception {
        LineFilter broken = (sender, room, line) -> {
            if (line.text().equals("throw")) {
                throw new IllegalStateException("the filter's own bug");
            }
            return line.text().equals("never") ? new CompletableFuture<>()
                    : CompletableFuture.completedStage(LineVerdict.accept());
        };
        cluster = ChatNodes.start(3, Duration.ofSeconds(2), builder -> builder.historySize(0).lineFilter(broken)
                .lineFilterDeadline(Duration.ofMillis(300), LineVerdict.refuse("too slow to check")));
        TckClient ann = cluster.connect(0, "/chat/broken?nick=ann");
        TckClient eve = cluster.connect(2, "/chat/broken?nick=eve");
        await().atMost(WAIT).until(() -> cluster.nodes.get(0).memberCount() == 1 && cluster.nodes.get(2).memberCount() == 1);
        ann.send("throw");
        ann.send("never");
        ann.send("fine");
        List<String> annSaw = new java.util.ArrayList<>(ann.nextMessages(3, WAIT));
        assertEquals(true, annSaw.remove(" .... that line could not be checked, so it was not sent; try again."), annSaw.toString());
        assertEquals(true, annSaw.remove(" .... too slow to check"), annSaw.toString());
        assertEquals(List.of("ann: fine"), annSaw);
        assertEquals("ann: fine", eve.nextMessage(WAIT), "node 3 saw none of the unchecked lines");
    }
}
