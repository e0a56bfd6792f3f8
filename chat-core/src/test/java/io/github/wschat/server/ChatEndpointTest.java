package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.wschat.Handshake;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.InProcessBroker;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.protocol.PlainTextFormat;
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
    // The seed's behaviour: no history, no join announcements (ChatFeaturesTest covers those).
    private final Rooms rooms = new Rooms(new InProcessBroker(), new HistoryBudget(0, 1, 1), ChatMetrics.NONE, Moderation.local());
    private final ChatEndpoint endpoint = endpoint(HandshakeAuthenticator.ANYONE, 1_000);

    private ChatEndpoint endpoint(HandshakeAuthenticator authenticator, int maxRooms) {
        return endpoint(rooms, authenticator, maxRooms, () -> new FloodGuard(1000, 1000, System::nanoTime));
    }

    private ChatEndpoint endpoint(Rooms in, HandshakeAuthenticator authenticator, int maxRooms,
            java.util.function.Supplier<FloodGuard> floodGuards) {
        return new ChatEndpoint(new SessionContext(in, nicknames, floodGuards, false, LineFilters.none(),
                Moderation.local(), "operator", ChatMetrics.NONE), new HandshakePolicy(Set.of("*"), 100, 100), authenticator,
                List.of(), maxRooms, List.of(PlainTextFormat.INSTANCE, JsonFormat.INSTANCE), new io.github.wschat.presence.ConnectionQuota(10));
    }

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
        ChatEndpoint strict = endpoint(rooms, HandshakeAuthenticator.ANYONE, 1_000, () -> new FloodGuard(1, 2, () -> 0L));
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
        assertEquals(" .... " + Session.TOO_FAST, flooder.sent.get(2));
        assertEquals(2 + 20, flooder.sent.size(), "two lines, then twenty refusals, then the close");
        assertEquals(List.of(io.github.wschat.CloseCodes.POLICY_VIOLATION), flooder.closeCodes);
    }

    @Test
    void handshakesOnPathsThatNameNoRoomAreRefusedWith404() {
        Admission admission = endpoint.admit(Handshake.of("/nowhere", Map.of(), new InetSocketAddress(0)));
        assertFalse(admission.accepted());
        assertEquals(404, admission.status());
        assertTrue(endpoint.admit(Handshake.of("/chat/ok", Map.of(), new InetSocketAddress(0))).accepted());
        Admission badName = endpoint.admit(Handshake.of("/chat/caf%C3%A9", Map.of(), new InetSocketAddress(0)));
        assertEquals(400, badName.status());
        assertEquals("a room name is 1-64 of A-Z a-z 0-9 . _ -: /chat/caf%C3%A9", badName.reason());
        assertEquals(400, endpoint.admit(Handshake.of("/chat/" + "x".repeat(65), Map.of(), new InetSocketAddress(0))).status());
    }

    @Test
    void theLeaveIsPublishedBeforeTheRoomSubscriptionEnds() {
        Broker broker = mock(Broker.class);
        io.github.wschat.Registration subscription = mock(io.github.wschat.Registration.class);
        when(broker.subscribe(anyString(), anyInt(), any())).thenReturn(subscription);
        when(broker.publish(anyString(), any())).thenReturn(Broker.placed());
        when(broker.epoch(anyString())).thenReturn("e1");
        ChatEndpoint mocked = endpoint(new Rooms(broker, new HistoryBudget(0, 1, 1), ChatMetrics.NONE, Moderation.local()), HandshakeAuthenticator.ANYONE, 1_000,
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

    @Test
    void aRoomThatCannotSubscribeClosesTheJoinerWith1013AndFreesItsNickname() {
        Broker broker = mock(Broker.class);
        io.github.wschat.Registration subscription = mock(io.github.wschat.Registration.class);
        when(broker.subscribe(anyString(), anyInt(), any()))
                .thenThrow(new BrokerUnavailableException("the store is away", null))
                .thenReturn(subscription);
        when(broker.publish(anyString(), any())).thenReturn(Broker.placed());
        when(broker.epoch(anyString())).thenReturn("e1");
        ChatEndpoint mocked = endpoint(new Rooms(broker, new HistoryBudget(0, 1, 1), ChatMetrics.NONE, Moderation.local()), handshake -> Authentication.acceptAs("ann"),
                1_000, () -> new FloodGuard(1000, 1000, System::nanoTime));
        TestConnection refused = new TestConnection("r", "/chat/solo");
        mocked.connected(refused);
        refused.open();
        refused.receive("lost in the closing");
        assertEquals(List.of(io.github.wschat.CloseCodes.TRY_AGAIN_LATER), refused.closeCodes);
        assertEquals(0, nicknames.size(), "the nickname is free again");
        TestConnection later = new TestConnection("l", "/chat/solo");
        mocked.connected(later);
        later.open();
        assertEquals(List.of(), later.closeCodes);
        assertEquals(1, nicknames.size());
        verify(broker, never()).publish(anyString(), eq(new RoomEvent.Message("ann", "lost in the closing")));
    }

    @Test
    void theAuthenticatorRefusesOrFixesTheNicknameAndATakenNicknameIs409() {
        HandshakeAuthenticator byToken = handshake -> handshake.queryParameter("token")
                .map(token -> token.equals("ann-secret") ? Authentication.acceptAs("ann") : Authentication.refuse(403, "bad token"))
                .orElse(Authentication.refuse(401, "token required"));
        ChatEndpoint guarded = endpoint(byToken, 1_000);
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40001);
        assertEquals(401, guarded.admit(Handshake.of("/chat", Map.of(), peer)).status());
        assertEquals(403, guarded.admit(Handshake.of("/chat?token=guess", Map.of(), peer)).status());

        Handshake ann = Handshake.of("/chat?token=ann-secret", Map.of(), peer);
        assertTrue(guarded.admit(ann).accepted());
        TestConnection connection = new TestConnection("ann", ann);
        guarded.connected(connection);
        connection.open();
        connection.receive("hi");
        assertEquals(List.of("ann: hi"), connection.sent);

        Admission again = guarded.admit(Handshake.of("/chat?token=ann-secret", Map.of(), peer));
        assertEquals(409, again.status(), again.reason());
    }

    @Test
    void aNicknameTakenBetweenHandshakeAndOpenClosesTheLatecomerWith1008() {
        ChatEndpoint fixed = endpoint(handshake -> Authentication.acceptAs("bob"), 1_000);
        Handshake first = Handshake.of("/", Map.of(), new InetSocketAddress(0));
        Handshake second = Handshake.of("/", Map.of(), new InetSocketAddress(0));
        assertTrue(fixed.admit(first).accepted());
        assertTrue(fixed.admit(second).accepted());
        TestConnection winner = new TestConnection("w", first);
        TestConnection loser = new TestConnection("l", second);
        fixed.connected(winner);
        fixed.connected(loser);
        winner.open();
        loser.open();
        assertEquals(List.of(io.github.wschat.CloseCodes.POLICY_VIOLATION), loser.closeCodes);
        winner.receive("still me");
        assertEquals(List.of("bob: still me"), winner.sent);
        assertEquals(1, nicknames.size());
    }

    @Test
    void aHandshakeThatWouldCreateARoomOverTheLimitIs503() {
        ChatEndpoint twoRooms = endpoint(HandshakeAuthenticator.ANYONE, 2);
        for (String target : List.of("/chat/a", "/chat/b")) {
            TestConnection member = new TestConnection(target, target);
            twoRooms.connected(member);
            member.open();
        }
        Admission third = twoRooms.admit(Handshake.of("/chat/c", Map.of(), new InetSocketAddress(0)));
        assertEquals(503, third.status(), third.reason());
        assertTrue(twoRooms.admit(Handshake.of("/chat/a", Map.of(), new InetSocketAddress(0))).accepted(),
                "an existing room can still be joined");
    }

    @Test
    void fixedNicknamesFollowTheRules() {
        assertThrows(IllegalArgumentException.class, () -> Authentication.acceptAs("has space"));
        assertThrows(IllegalArgumentException.class, () -> Authentication.acceptAs("x".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> Authentication.refuse(200, "not a refusal"));
        assertEquals("ann.b_c-1", Authentication.acceptAs("ann.b_c-1").nickname().orElseThrow());
    }
}
