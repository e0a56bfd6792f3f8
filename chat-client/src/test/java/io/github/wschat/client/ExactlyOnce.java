package io.github.wschat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Senders that each say numbered lines through a client, and the check that every member saw every
 * line exactly once, in one order, at the place its acknowledgement names.
 */
final class ExactlyOnce {

    /** One client: what it sent (text to acknowledgement) and every event it delivered. */
    static final class Member {
        final String nick;
        final List<ChatEvent> events = new CopyOnWriteArrayList<>();
        final Map<String, CompletableFuture<Ack>> sent = new HashMap<>();
        ChatClient client;
        /** What the test knows of this member's connection, for a failure's message. */
        volatile java.util.function.Supplier<String> diagnostics = () -> "";

        Member(String nick) {
            this.nick = nick;
        }
    }

    private ExactlyOnce() {
    }

    /** Connects a member to these URIs, the first first; waits until it is in the room. */
    static Member join(String nick, List<java.net.URI> uris, int maxPending) throws Exception {
        Member member = new Member(nick);
        java.net.URI[] others = uris.subList(1, uris.size()).toArray(java.net.URI[]::new);
        member.client = ChatClient.builder(uris.get(0), others).nick(nick).listener(member.events::add)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(300)).pingInterval(Duration.ofMillis(250))
                .maxPending(maxPending).connect();
        member.client.ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return member;
    }

    /** Says {@code count} lines, {@code nick:i}, without waiting for their acknowledgements. */
    static void send(Member member, int count) {
        for (int i = 0; i < count; i++) {
            String text = member.nick + ":" + i;
            member.sent.put(text, member.client.say(text).toCompletableFuture());
        }
    }

    /**
     * Says numbered lines in batches, each batch once the one before is acknowledged, until at least
     * {@code min} are said and {@code enough} holds, or {@code max} are said, or {@code time} passed.
     */
    static CompletableFuture<Void> sendUntil(Member member, int batch, int min, int max,
            java.util.function.BooleanSupplier enough, Duration time) {
        return sendUntil(member, batch, min, max, enough, time, () -> { });
    }

    /** As above, running {@code afterBatch} after each acknowledged batch (e.g. to wait for a cut). */
    static CompletableFuture<Void> sendUntil(Member member, int batch, int min, int max,
            java.util.function.BooleanSupplier enough, Duration time, Runnable afterBatch) {
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + time.toNanos();
            int i = 0;
            while (i < max && System.nanoTime() < deadline && (i < min || !enough.getAsBoolean())) {
                List<CompletableFuture<Ack>> batchSent = new ArrayList<>();
                for (int b = 0; b < batch; b++, i++) {
                    String text = member.nick + ":" + i;
                    CompletableFuture<Ack> ack = member.client.say(text).toCompletableFuture();
                    synchronized (member.sent) {
                        member.sent.put(text, ack);
                    }
                    batchSent.add(ack);
                }
                try {
                    CompletableFuture.allOf(batchSent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    List<ChatEvent> tail = member.events.subList(Math.max(0, member.events.size() - 8), member.events.size());
                    throw new AssertionError(member.nick + " got no answer to a batch; connected "
                            + member.client.isConnected() + "; " + member.diagnostics.get() + "; last events " + tail, e);
                }
                afterBatch.run();
            }
        });
    }

    /** Waits for every acknowledgement; returns text to acknowledgement over every member. */
    static Map<String, Ack> acks(List<Member> members, Duration wait) throws Exception {
        Map<String, Ack> acks = new HashMap<>();
        long deadline = System.nanoTime() + wait.toNanos();
        for (Member member : members) {
            for (Map.Entry<String, CompletableFuture<Ack>> send : member.sent.entrySet()) {
                long left = Math.max(1, deadline - System.nanoTime());
                acks.put(send.getKey(), send.getValue().get(left, TimeUnit.NANOSECONDS));
            }
        }
        return acks;
    }

    /** The messages a member delivered: place ({@code epoch:seq}) to text, in order. */
    static List<ChatEvent.Message> messages(Member member) {
        List<ChatEvent.Message> messages = new ArrayList<>();
        for (ChatEvent event : member.events) {
            if (event instanceof ChatEvent.Message message) {
                messages.add(message);
            }
        }
        return messages;
    }

    /** Whether the member has delivered every acknowledged line. */
    static boolean sawAll(Member member, Map<String, Ack> acks) {
        Set<String> seen = new HashSet<>();
        messages(member).forEach(m -> seen.add(m.text()));
        return seen.containsAll(acks.keySet());
    }

    /**
     * Every member delivered every acknowledged line exactly once, at the place its acknowledgement
     * names, and all members in one order.
     */
    static void verify(List<Member> members, Map<String, Ack> acks) {
        List<String> firstOrder = null;
        for (Member member : members) {
            List<ChatEvent.Message> messages = messages(member);
            Map<String, String> atPlace = new HashMap<>();
            List<String> order = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (ChatEvent.Message message : messages) {
                assertTrue(seen.add(message.text()), member.nick + " saw " + message.text() + " twice");
                atPlace.put(message.epoch() + ":" + message.seq(), message.text());
                order.add(message.text());
            }
            assertEquals(acks.keySet(), seen, member.nick + " saw every acknowledged line and no other");
            for (Map.Entry<String, Ack> ack : acks.entrySet()) {
                String place = ack.getValue().epoch() + ":" + ack.getValue().sequence();
                assertEquals(ack.getKey(), atPlace.get(place), "the ack of " + ack.getKey() + " names its place");
            }
            if (firstOrder == null) {
                firstOrder = order;
            } else {
                assertEquals(firstOrder, order, member.nick + " saw the lines in the room's one order");
            }
        }
    }
}
