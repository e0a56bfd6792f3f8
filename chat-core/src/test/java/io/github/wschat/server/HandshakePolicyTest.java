package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.Handshake;
import io.github.wschat.spi.TestConnection;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandshakePolicyTest {

    private static Handshake from(String ip, String origin) {
        Map<String, List<String>> headers = origin == null ? Map.of() : Map.of("Origin", List.of(origin));
        return Handshake.of("/chat", headers, new InetSocketAddress(ip, 50000));
    }

    @Test
    void onlyAllowedOriginsPassAndClientsWithoutAnOriginAreNotBrowsers() {
        HandshakePolicy policy = new HandshakePolicy(Set.of("https://Chat.example.com/"), 10, 10);
        assertTrue(policy.admit(from("127.0.0.1", "https://chat.example.com")).accepted());
        assertTrue(policy.admit(from("127.0.0.1", null)).accepted());
        assertEquals(403, policy.admit(from("127.0.0.1", "https://evil.example")).status());
        assertEquals(403, policy.admit(from("127.0.0.1", "null")).status());
        assertTrue(new HandshakePolicy(Set.of("*"), 10, 10).admit(from("127.0.0.1", "https://any.example")).accepted());
    }

    @Test
    void sameOriginAllowsPagesOfTheHostTheRequestWasSentTo() {
        HandshakePolicy policy = new HandshakePolicy(Set.of(HandshakePolicy.SAME_ORIGIN), 10, 10);
        assertTrue(policy.admit(browser("https://chat.example.com", "Chat.Example.com")).accepted());
        assertTrue(policy.admit(browser("https://chat.example.com", "chat.example.com:443")).accepted());
        assertTrue(policy.admit(browser("http://127.0.0.1:8080", "127.0.0.1:8080")).accepted());
        assertTrue(policy.admit(browser("http://[::1]:8080", "[::1]:8080")).accepted());
        assertTrue(policy.admit(from("127.0.0.1", null)).accepted(), "not a browser");
        assertEquals(403, policy.admit(browser("https://evil.example", "chat.example.com")).status());
        assertEquals(403, policy.admit(browser("http://127.0.0.1:9090", "127.0.0.1:8080")).status(), "another port");
        assertEquals(403, policy.admit(browser("https://chat.example.com", "chat.example.com:80")).status());
        assertEquals(403, policy.admit(browser("null", "chat.example.com")).status());
        assertEquals(403, policy.admit(browser("https://chat.example.com", "")).status(), "no Host");
    }

    private static Handshake browser(String origin, String host) {
        return Handshake.of("/chat", Map.of("Origin", List.of(origin), "Host", List.of(host)),
                new InetSocketAddress("127.0.0.1", 50000));
    }

    @Test
    void connectionLimitsCountOpenConnectionsPerServerAndPerAddress() {
        HandshakePolicy policy = new HandshakePolicy(Set.of("*"), 3, 2);
        TestConnection a1 = new TestConnection("a1", "/");
        TestConnection a2 = new TestConnection("a2", "/");
        policy.track(a1);
        policy.track(a2);
        assertEquals(429, policy.admit(from("127.0.0.1", null)).status());
        assertTrue(policy.admit(from("127.0.0.2", null)).accepted());
        policy.track(new TestConnection("b1", "/", new InetSocketAddress("127.0.0.2", 40000)));
        a1.open();
        a1.drop();
        assertTrue(policy.admit(from("127.0.0.1", null)).accepted(), "a closed connection frees its place");
        policy.track(new TestConnection("a3", "/"));
        assertEquals(503, policy.admit(from("127.0.0.9", null)).status());
    }
}
