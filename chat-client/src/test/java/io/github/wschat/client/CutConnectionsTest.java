package io.github.wschat.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.CuttingProxy;
import io.github.wschat.transport.javawebsocket.JavaWebSocketTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One server; clients whose connections a proxy cuts every 0.3–1 s while they send: each line once. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CutConnectionsTest {

    @Test
    void everyLineSentWhileConnectionsAreCutIsSeenByEveryMemberExactlyOnceAtItsAcknowledgedPlace() throws Exception {
        int clients = 5;
        int lines = 200;
        try (ChatServer server = ChatServer.builder().transport(new JavaWebSocketTransport()).host("127.0.0.1").port(0)
                .rateLimit(100_000, 100_000).historySize(5_000).start()) {
            List<CuttingProxy> proxies = new ArrayList<>();
            List<ExactlyOnce.Member> members = new ArrayList<>();
            try {
                for (int c = 0; c < clients; c++) {
                    CuttingProxy proxy = new CuttingProxy(new InetSocketAddress("127.0.0.1", server.address().getPort()), c);
                    proxies.add(proxy);
                    members.add(ExactlyOnce.join("c" + c, List.of(proxy.through("/chat/cuts")), 100));
                }
                for (int c = 0; c < clients; c++) {
                    CuttingProxy proxy = proxies.get(c);
                    members.get(c).diagnostics = proxy::state;
                }
                proxies.forEach(proxy -> proxy.cutEvery(300, 1_000));
                // Each sends until its proxy has cut it 5 times (at least 200 lines, at most 20,000, 60 s).
                List<java.util.concurrent.CompletableFuture<Void>> sending = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    CuttingProxy proxy = proxies.get(c);
                    sending.add(ExactlyOnce.sendUntil(members.get(c), 10, lines, 20_000, () -> proxy.cuts() >= 5,
                            Duration.ofSeconds(60)));
                }
                for (java.util.concurrent.CompletableFuture<Void> each : sending) {
                    each.get(120, TimeUnit.SECONDS);
                }
                // The cuts were while the lines went out; now let every member catch up.
                proxies.forEach(CuttingProxy::stopCutting);
                Map<String, Ack> acks = ExactlyOnce.acks(members, Duration.ofSeconds(120));
                for (ExactlyOnce.Member member : members) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> ExactlyOnce.sawAll(member, acks));
                }
                ExactlyOnce.verify(members, acks);
                assertTrue(proxies.stream().allMatch(p -> p.cuts() >= 5), "every client's connection was cut 5 times");
            } finally {
                members.forEach(m -> m.client.close());
                for (CuttingProxy proxy : proxies) {
                    proxy.close();
                }
            }
        }
    }
}
