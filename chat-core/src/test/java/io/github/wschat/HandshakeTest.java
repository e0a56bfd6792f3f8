package io.github.wschat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    private static Handshake of(Map<String, List<String>> headers) {
        return Handshake.of("/chat?nick=ann", headers, PEER);
    }

    @Test
    void headerNamesMatchInAnyCase() {
        Handshake handshake = of(Map.of("Sec-WebSocket-Key", List.of("dGhlIHNhbXBsZSBub25jZQ=="), "origin",
                List.of("http://a.example")));
        assertEquals(Optional.of("dGhlIHNhbXBsZSBub25jZQ=="), handshake.header("sec-websocket-key"));
        assertEquals(Optional.of("http://a.example"), handshake.header("Origin"));
        assertEquals(List.of("http://a.example"), handshake.headers().get("ORIGIN"));
        assertTrue(handshake.headers().containsKey("SEC-WEBSOCKET-KEY"));
        assertFalse(handshake.headers().containsKey("Cookie"));
        assertNull(handshake.headers().get("Cookie"));
        assertNull(handshake.headers().get(42));
        assertEquals(Optional.empty(), handshake.header("Cookie"));
    }

    @Test
    void namesThatDifferOnlyInCaseBecomeOneEntryUnderTheFirstName() {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        sent.put("X-Tag", List.of("a"));
        sent.put("Host", List.of("h"));
        sent.put("x-tag", List.of("b", "c"));
        Handshake handshake = of(sent);
        assertEquals(2, handshake.headers().size());
        assertEquals(List.of("a", "b", "c"), handshake.headers().get("X-TAG"));
        assertEquals(List.of("Host", "X-Tag"), new ArrayList<>(handshake.headers().keySet()));
    }

    @Test
    void iteratesAndComparesAsACaseInsensitiveTreeMapWould() {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        for (String name : List.of("Upgrade", "connection", "Sec-WebSocket-Version", "host", "A", "sec-websocket-key",
                "Cookie", "b")) {
            sent.put(name, List.of(name + "-value"));
        }
        sent.put("Accept", List.of());
        sent.put("Via", List.of("1.1 one", "1.1 two"));
        Map<String, List<String>> tree = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        tree.putAll(sent);
        Map<String, List<String>> headers = of(sent).headers();
        assertEquals(new ArrayList<>(tree.entrySet()), new ArrayList<>(headers.entrySet()));
        assertEquals(tree, headers);
        assertEquals(headers, tree);
        assertEquals(tree.hashCode(), headers.hashCode());
        assertEquals(Optional.empty(), of(sent).header("accept"));
        assertEquals(of(sent), of(sent));
        assertEquals(of(sent).hashCode(), of(sent).hashCode());
    }

    @Test
    void headersAreImmutableAndCopied() {
        List<String> values = new ArrayList<>(List.of("one"));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        sent.put("X-Tag", values);
        Handshake handshake = of(sent);
        values.add("two");
        sent.put("Cookie", List.of("c=1"));
        assertEquals(List.of("one"), handshake.headers().get("x-tag"));
        assertEquals(1, handshake.headers().size());
        Map<String, List<String>> headers = handshake.headers();
        assertThrows(UnsupportedOperationException.class, () -> headers.put("A", List.of("b")));
        assertThrows(UnsupportedOperationException.class, () -> headers.remove("X-Tag"));
        assertThrows(UnsupportedOperationException.class, headers::clear);
        assertThrows(UnsupportedOperationException.class, () -> headers.get("X-Tag").add("three"));
        assertThrows(UnsupportedOperationException.class, () -> headers.entrySet().iterator().next().setValue(List.of()));
        // A handshake's own headers are taken as they are.
        assertSame(headers, new Handshake("/", "", headers, PEER).headers());
    }

    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> of(null));
        Map<String, List<String>> nullName = new LinkedHashMap<>();
        nullName.put(null, List.of("v"));
        assertThrows(NullPointerException.class, () -> of(nullName));
        Map<String, List<String>> nullList = new LinkedHashMap<>();
        nullList.put("X", null);
        assertThrows(NullPointerException.class, () -> of(nullList));
        assertThrows(NullPointerException.class, () -> of(Map.of("X", Arrays.asList("a", null))));
        assertThrows(NullPointerException.class, () -> of(Map.of()).header(null));
    }

    @Test
    void targetsQueriesAndSubprotocols() {
        Handshake handshake = Handshake.of("http://chat.example/room/a?nick=ann+b&x&nick=c%21",
                Map.of("Sec-WebSocket-Protocol", List.of("wschat.v1.json, chat", "other")), PEER);
        assertEquals("/room/a", handshake.path());
        assertEquals("nick=ann+b&x&nick=c%21", handshake.query());
        assertEquals(Map.of("nick", List.of("ann b", "c!"), "x", List.of("")), handshake.queryParameters());
        assertEquals(Optional.of("ann b"), handshake.queryParameter("nick"));
        assertEquals(List.of("wschat.v1.json", "chat", "other"), handshake.offeredSubprotocols());
        assertThrows(IllegalArgumentException.class, () -> Handshake.of("chat", Map.of(), PEER));
        assertThrows(IllegalArgumentException.class, () -> new Handshake("chat", "", Map.of(), PEER));
    }
}
