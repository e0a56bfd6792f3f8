package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.Handshake;
import io.github.wschat.broker.InProcessBroker;
import io.github.wschat.protocol.PlainTextFormat;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.TestConnection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A room's history is held to its lines and bytes, and the rooms together to their total. */
class HistoryBudgetTest {

    private final AtomicInteger numbers = new AtomicInteger(100);
    // 50 lines, 1,000 bytes per room, 2,500 bytes for all rooms
    private final HistoryBudget budget = new HistoryBudget(50, 1_000, 2_500);
    private final Rooms rooms = new Rooms(new InProcessBroker(), budget, ChatMetrics.NONE, Moderation.local());
    private final ChatEndpoint endpoint = new ChatEndpoint(new SessionContext(rooms,
            new NicknameRegistry(bound -> numbers.incrementAndGet()),
            () -> new FloodGuard(1000, 1000, System::nanoTime), false, LineFilters.none(), Moderation.local(), "operator",
            ChatMetrics.NONE), new HandshakePolicy(Set.of("*"), 100, 100), HandshakeAuthenticator.ANYONE, List.of(), 100,
            List.of(PlainTextFormat.INSTANCE), new io.github.wschat.presence.ConnectionQuota(10));

    private TestConnection join(String target) {
        Handshake handshake = Handshake.of(target, Map.of(), new InetSocketAddress("127.0.0.1", 40000));
        Admission admission = endpoint.admit(handshake);
        assertTrue(admission.accepted(), admission.reason());
        TestConnection connection = new TestConnection("c" + numbers.get(), handshake, admission.subprotocol());
        endpoint.connected(connection);
        connection.open();
        return connection;
    }

    @Test
    void aRoomKeepsTheNewestLinesThatFitItsBytesAndALineLongerThanThemNone() {
        TestConnection ann = join("/chat/a?nick=ann");
        for (int k = 0; k < 20; k++) {
            ann.receive(k + "-" + "x".repeat(97)); // 100 bytes, and 3 of the nick: 103 a line
        }
        TestConnection bob = join("/chat/a?nick=bob");
        assertEquals(9, bob.sent.size(), "9 lines of 103 bytes fit 1,000: " + bob.sent);
        assertTrue(bob.sent.get(0).startsWith("ann: 11-"), bob.sent.get(0));
        assertTrue(bob.sent.get(8).startsWith("ann: 19-"));
        assertEquals(9 * 103, budget.used());
        ann.receive("y".repeat(1_000));
        TestConnection cy = join("/chat/a?nick=cy");
        assertEquals(List.of(), cy.sent, "a line longer than the room's bytes is not kept, and took the older ones out");
    }

    @Test
    void theRoomsTogetherKeepNoMoreThanTheTotalAndARoomLetsGoOfItsOwnLinesFirst() {
        TestConnection quiet = join("/chat/quiet?nick=q");
        for (int k = 0; k < 9; k++) {
            quiet.receive(k + "-" + "x".repeat(98)); // 100 bytes + 1 of the nick
        }
        assertEquals(909, budget.used());
        TestConnection busy = join("/chat/busy?nick=bb");
        for (int k = 0; k < 100; k++) {
            busy.receive(k + "-" + "x".repeat(97));
            assertTrue(budget.used() <= 2_500, "the total holds: " + budget.used());
        }
        TestConnection q2 = join("/chat/quiet?nick=q2");
        assertEquals(9, q2.sent.size(), "the quiet room kept its lines");
        TestConnection late = join("/chat/busy?nick=late");
        assertEquals(9, late.sent.size(), "the busy room holds what fits in its own bytes: " + late.sent.size());
        TestConnection third = join("/chat/third?nick=t");
        for (int k = 0; k < 9; k++) {
            third.receive(k + "-" + "x".repeat(98));
        }
        assertTrue(budget.used() <= 2_500, "the total holds: " + budget.used());
        int thirdKept = join("/chat/third?nick=t2").sent.size();
        assertEquals(2_500 / 101 - 9 - 9 + 0, thirdKept, "the third room keeps what is left of the total: " + thirdKept);
        long before = budget.used();
        quiet.drop();
        q2.drop();
        assertEquals(before - 909, budget.used(), "a room whose last member left lets go of its history");
    }
}
