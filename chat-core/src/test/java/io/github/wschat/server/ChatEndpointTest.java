package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.wschat.Handshake;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.InProcessBroker;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.spi.Admission;
import io.github.wschat.spi.TestConnection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class ChatEndpointTest {

    private final AtomicInteger numbers = new AtomicInteger(100);
    private final NicknameRegistry nicknames = new NicknameRegistry(bound -> numbers.incrementAndGet());
    private final Rooms rooms = new Rooms(new InProcessBroker());
    private final ChatEndpoint endpoint = new ChatEndpoint(rooms, nicknames, new HandshakePolicy(Set.of("*"), 100, 100),
            () -> new FloodGuard(1000, 1000, System::nanoTime));

    private TestConnection join(String target) {
        TestConnection connection = new TestConnection("c" + numbers.get(), target);
        endpoint.connected(connection);
        connection.open();
        return connection;
    }

    @Test
    void everyMemberGetsEveryLineAndRemainingMembersHearTheLeave() {
        TestConnection a = join("/");
        TestConnection b = join("/chat");
        TestConnection c = join("/");
        a.receive("hello");
        c.receive("hi all");
        b.drop();
        List<String> expected = List.of("user-101: hello", "user-103: hi all", " .... user-102 has left.");
        assertEquals(expected, a.sent);
        assertEquals(expected, c.sent);
        assertEquals(expected.subList(0, 2), b.sent);
        assertEquals(2, nicknames.size());
    }

    @Test
    void roomsDoNotHearEachOtherAndAreDroppedWhenEmpty() {
        TestConnection lobby = join("/");
        TestConnection other = join("/chat/other");
        other.receive("psst");
        lobby.receive("hey");
        assertEquals(List.of("user-102: psst"), other.sent);
        assertEquals(List.of("user-101: hey"), lobby.sent);
        assertEquals(2, rooms.count());
        other.drop();
        assertEquals(1, rooms.count());
        assertEquals(List.of("user-101: hey"), lobby.sent);
    }

    @Test
    void emptyMessagesAreIgnoredAndLineBreaksSplitAMessage() {
        TestConnection a = join("/");
        a.receive("");
        a.receive("one\ntwo\u0000!");
        assertEquals(List.of("user-101: one", "user-101: two!"), a.sent);
    }

    @Test
    void linesOverTheRateAreRefusedToTheSenderAloneAndAFloodIsClosedWith1008() {
        ChatEndpoint strict = new ChatEndpoint(rooms, nicknames, new HandshakePolicy(Set.of("*"), 100, 100),
                () -> new FloodGuard(1, 2, () -> 0L));
        TestConnection listener = new TestConnection("l", "/");
        TestConnection flooder = new TestConnection("f", "/");
        strict.connected(listener);
        listener.open();
        strict.connected(flooder);
        flooder.open();
        for (int i = 0; i < 30; i++) {
            flooder.receive("line " + i);
        }
        assertEquals(List.of("user-102: line 0", "user-102: line 1", " .... user-102 has left."), listener.sent);
        assertEquals(PlainText.TOO_FAST, flooder.sent.get(2));
        assertEquals(2 + 20, flooder.sent.size(), "two lines, then twenty refusals, then the close");
        assertEquals(List.of(io.github.wschat.CloseCodes.POLICY_VIOLATION), flooder.closeCodes);
    }

    @Test
    void handshakesOnPathsThatNameNoRoomAreRefusedWith404() {
        Admission admission = endpoint.admit(Handshake.of("/nowhere", Map.of(), new InetSocketAddress(0)));
        assertFalse(admission.accepted());
        assertEquals(404, admission.status());
        assertTrue(endpoint.admit(Handshake.of("/chat/ok", Map.of(), new InetSocketAddress(0))).accepted());
    }

    @Test
    void theLeaveIsPublishedBeforeTheRoomSubscriptionEnds() {
        Broker broker = mock(Broker.class);
        io.github.wschat.Registration subscription = mock(io.github.wschat.Registration.class);
        when(broker.subscribe(anyString(), any())).thenReturn(subscription);
        ChatEndpoint mocked = new ChatEndpoint(new Rooms(broker), nicknames, new HandshakePolicy(Set.of("*"), 100, 100),
            () -> new FloodGuard(1000, 1000, System::nanoTime));
        TestConnection only = new TestConnection("solo", "/chat/solo");
        mocked.connected(only);
        only.open();
        only.receive("bye");
        only.drop();
        InOrder order = inOrder(broker, subscription);
        order.verify(broker).publish("solo", new RoomEvent.Message("user-101", "bye"));
        order.verify(broker).publish("solo", new RoomEvent.Left("user-101"));
        order.verify(subscription).remove();
        assertEquals(0, nicknames.size());
    }
}
