package io.github.wschat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.wschat.app.Identity;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import io.github.wschat.tck.CloseStatus;
import io.github.wschat.tck.JdkWebSocketConnector;
import io.github.wschat.tck.TckClient;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The join hook that asks a backend over HTTP, against a backend of the test's own (a JDK HttpServer on
 * 127.0.0.1) that allows, refuses, answers late, answers 500 and goes away — through a real chat server
 * and real WebSocket members on the JSON protocol. Who a member is comes from {@code ?user=} (a test
 * authenticator); the backend lets only operators into "staff".
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpJoinHookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "hook-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final AtomicInteger calls = new AtomicInteger();
    private final List<Boolean> signed = new CopyOnWriteArrayList<>();
    private final List<JsonNode> questions = new CopyOnWriteArrayList<>();
    /** Holds the backend's answers for the room "held" until counted down. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService backendThreads = Executors.newFixedThreadPool(4);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (AutoCloseable c : opened) {
            c.close();
        }
        backendThreads.shutdownNow();
    }

    private URI backend(boolean failing) throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.setExecutor(backendThreads);
        backend.createContext("/join", exchange -> {
            try (exchange) {
                calls.incrementAndGet();
                byte[] body = exchange.getRequestBody().readAllBytes();
                signed.add(Webhooks.verify(SECRET, exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                        exchange.getRequestHeaders().getFirst("webhook-signature"), Duration.ofMinutes(5)));
                JsonNode question = JSON.readTree(body);
                questions.add(question);
                if (failing) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                String room = question.get("room").asText();
                JsonNode identity = question.get("identity");
                boolean operator = identity.isObject() && identity.get("roles").toString().contains("\"operator\"");
                if (room.equals("held")) {
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } else if (room.equals("slow")) {
                    TimeUnit.MILLISECONDS.sleep(2_500); // past the hook's timeout
                }
                String answer = room.equals("staff") && !operator
                        ? "{\"verdict\":\"refuse\",\"status\":403,\"reason\":\"staff only\"}"
                        : room.equals("busy") ? "{\"verdict\":\"refuse\",\"status\":503,\"reason\":\"full, come back later\"}"
                        : "{\"verdict\":\"allow\"}";
                byte[] out = answer.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, out.length);
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        backend.start();
        opened.add(() -> backend.stop(0));
        return URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/join");
    }

    private ChatServer chat(HttpJoinHook hook) throws Exception {
        ChatServer chat = ChatServer.builder().transport("netty").host("127.0.0.1").port(0).rateLimit(10_000, 10_000)
                .authenticator(handshake -> handshake.queryParameter("user")
                        .map(user -> Authentication.accept(user.startsWith("op-") ? Identity.of(user, "operator")
                                : Identity.of(user)))
                        .orElse(Authentication.accept()))
                .asyncJoinHook(hook).start();
        opened.add(chat);
        return chat;
    }

    @Test
    void theBackendLetsInAndKeepsOutAndNoOneSeesTheRefusedOne() throws Exception {
        ChatServer chat = chat(HttpJoinHook.to(backend(false), SECRET).build());
        TckClient op = connect(chat, "staff", "ann", "op-ann");
        welcome(op);
        TckClient bob = connect(chat, "staff", "bob", "u-bob");
        CloseStatus closed = bob.awaitClose(WAIT);
        assertEquals(4403, closed.code(), "403 from the backend: 4403");
        assertEquals("staff only", closed.reason());
        TckClient cy = connect(chat, "staff", "cy", "op-cy");
        welcome(cy);
        // ann sees cy join and nothing of bob, who never joined
        JsonNode seen = JSON.readTree(op.nextMessageMatching(m -> m.contains("\"join\"") && !m.contains("\"ann\"")
                || m.contains("bob"), WAIT));
        assertEquals("cy", seen.get("nick").asText(), seen.toString());
        assertTrue(signed.stream().allMatch(b -> b), "every question signed");
        JsonNode q = questions.stream().filter(x -> x.get("identity").path("id").asText().equals("u-bob")).findFirst().orElseThrow();
        assertEquals("staff", q.get("room").asText());
        assertEquals("[]", q.get("identity").get("roles").toString());
        TckClient anonymous = connect(chat, "lobby", "dee", null);
        welcome(anonymous);
        assertTrue(questions.stream().anyMatch(x -> x.get("identity").isNull()), "an anonymous member: identity null");
        TckClient busy = connect(chat, "busy", "eve", "u-eve");
        assertEquals(1013, busy.awaitClose(WAIT).code(), "a 5xx refusal: try again later");
    }

    @Test
    void whatAMemberSendsBeforeTheVerdictWaitsAndGoesOutInOrderAfterTheWelcome() throws Exception {
        ChatServer chat = chat(HttpJoinHook.to(backend(false), SECRET).timeout(Duration.ofSeconds(10)).build());
        TckClient ann = connect(chat, "held", "ann", "u-ann");
        for (int i = 1; i <= 3; i++) {
            ann.send("{\"type\":\"say\",\"text\":\"early " + i + "\"}");
        }
        release.countDown();
        List<String> seen = new ArrayList<>();
        while (seen.size() < 4) {
            JsonNode frame = JSON.readTree(ann.nextMessage(WAIT));
            String type = frame.get("type").asText();
            if (type.equals("welcome")) {
                seen.add("welcome");
            } else if (type.equals("message")) {
                seen.add(frame.get("text").asText());
            }
        }
        assertEquals(List.of("welcome", "early 1", "early 2", "early 3"), seen);
    }

    @Test
    void aLateFailingOrAbsentBackendRefusesWith1013AndTheBreakerStopsAskingOrLetsInWhenFailingOpen() throws Exception {
        ChatServer late = chat(HttpJoinHook.to(backend(false), SECRET).timeout(Duration.ofMillis(500)).build());
        CloseStatus closed = connect(late, "slow", "ann", "u-ann").awaitClose(WAIT);
        assertEquals(1013, closed.code());
        assertTrue(closed.reason().contains("could not be checked"), closed.reason());

        URI failing = backend(true);
        ChatServer broken = chat(HttpJoinHook.to(failing, SECRET).breaker(2, Duration.ofMinutes(1)).build());
        int before = calls.get();
        for (int i = 0; i < 4; i++) {
            assertEquals(1013, connect(broken, "lobby", "m" + i, "u-" + i).awaitClose(WAIT).code());
        }
        assertEquals(2, calls.get() - before, "after two failures the backend is not asked");

        // A backend that is not there at all (nothing listens on its port), failing open: members get in.
        HttpServer gone = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1);
        URI nowhere = URI.create("http://127.0.0.1:" + gone.getAddress().getPort() + "/join");
        gone.stop(0);
        ChatServer open = chat(HttpJoinHook.to(nowhere, SECRET).failOpen().build());
        TckClient in = connect(open, "lobby", "zed", "u-zed");
        welcome(in);
        assertFalse(in.isClosed());
    }

    private TckClient connect(ChatServer chat, String room, String nick, String user) throws Exception {
        TckClient client = new JdkWebSocketConnector().connect(URI.create("ws://127.0.0.1:" + chat.address().getPort()
                + "/chat/" + room + "?nick=" + nick + (user == null ? "" : "&user=" + user)), Map.of(), List.of("wschat.v1.json"));
        opened.add(client);
        return client;
    }

    private static void welcome(TckClient client) {
        client.nextMessageMatching(m -> m.contains("\"welcome\""), WAIT);
    }
}
