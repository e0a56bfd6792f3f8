package io.github.wschat.tck;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.wschat.history.InMemoryHistoryStore;
import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.server.ChatServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * History beyond memory over real sockets: with a history store, a member pages back through every
 * line ({@code {"type":"history",…}} and {@code /history}), oldest first, to the room's first line;
 * a forgotten person's lines are gone from the pages; without a store, pages come from memory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class HistoryTck extends ProgramTckSupport {

    private static final int LINES = 130;

    private TckClient json(ChatServer server, String target) throws Exception {
        TckClient client = connector.connect(uri(server, target), Map.of(), List.of(JsonFormat.SUBPROTOCOL));
        JsonNode welcome = json.readTree(client.nextMessage(WAIT));
        assertEquals("welcome", welcome.get("type").asText());
        return client;
    }

    /** The next frame of this type, skipping others. */
    private JsonNode next(TckClient client, String type) throws Exception {
        while (true) {
            JsonNode frame = json.readTree(client.nextMessage(WAIT));
            if (frame.get("type").asText().equals(type)) {
                return frame;
            }
        }
    }

    /** Sends the lines and waits until the sender read the last one back. */
    private void say(TckClient ann, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            ann.send("{\"type\":\"say\",\"text\":\"line " + i + "\"}");
        }
        JsonNode last;
        do {
            last = next(ann, "message");
        } while (!last.get("text").asText().equals("line " + (count - 1)));
    }

    private JsonNode page(TckClient client, String before, String id) throws Exception {
        client.send("{\"type\":\"history\",\"limit\":50,\"id\":\"" + id + "\"" + (before == null ? "" : ",\"before\":\"" + before + "\"")
                + "}");
        JsonNode page = next(client, "history");
        assertEquals(id, page.get("id").asText());
        return page;
    }

    private static String positionOf(JsonNode event) {
        return event.get("epoch").asText() + ":" + event.get("seq").asLong();
    }

    @Test
    void aMemberPagesBackThroughEveryLineToTheRoomsFirst() throws Exception {
        try (ChatServer server = chat().historySize(20).historyStore(new InMemoryHistoryStore()).start()) {
            TckClient ann = json(server, "/?nick=ann");
            say(ann, LINES);
            // The store is written off the rooms' threads: the newest page has the last line once it is in.
            await().atMost(WAIT).until(() -> {
                JsonNode newest = page(ann, null, "newest");
                JsonNode events = newest.get("events");
                return events.size() == 50 && events.get(49).get("text").asText().equals("line " + (LINES - 1));
            });
            List<String> all = new ArrayList<>();
            String before = null;
            int pages = 0;
            while (true) {
                JsonNode page = page(ann, before, "p" + pages++);
                List<String> texts = new ArrayList<>();
                page.get("events").forEach(e -> texts.add(e.get("text").asText()));
                all.addAll(0, texts);
                if (!page.get("more").asBoolean()) {
                    break;
                }
                before = positionOf(page.get("events").get(0));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < LINES; i++) {
                expected.add("line " + i);
            }
            assertEquals(expected, all, "every line once, oldest first, in " + pages + " pages");

            TckClient plain = connector.connect(uri(server, "/?nick=bob"), Map.of(), List.of());
            assertEquals("ann: line " + (LINES - 20), plain.nextMessage(WAIT), "the welcome's twenty lines");
            plain.nextMessages(19, WAIT);
            plain.send("/history");
            assertEquals(" .... earlier in lobby:", plain.nextMessage(WAIT));
            List<String> earlier = plain.nextMessages(50, WAIT);
            assertEquals("ann: line " + (LINES - 70), earlier.get(0));
            assertEquals("ann: line " + (LINES - 21), earlier.get(49));
            assertEquals(" .... /history shows the lines before these.", plain.nextMessage(WAIT));
            plain.send("/history");
            plain.nextMessage(WAIT);
            assertEquals("ann: line " + (LINES - 120), plain.nextMessages(50, WAIT).get(0), "and the page before that");
        }
    }

    /**
     * A newcomer to a busy room pages back from the oldest line of its welcome at once, while the
     * store's writer may still hold the lines just before it (it writes a batch a linger after the
     * first): the page waits for them, so it is the fifty lines right before, not a gap.
     */
    @Test
    void aNewcomerWhoPagesBackAtOnceGetsTheLinesRightBeforeItsWelcome() throws Exception {
        try (ChatServer server = chat().historySize(20).historyStore(new InMemoryHistoryStore()).start()) {
            TckClient ann = json(server, "/?nick=ann");
            say(ann, LINES);
            TckClient bob = connector.connect(uri(server, "/?nick=bob"), Map.of(), List.of(JsonFormat.SUBPROTOCOL));
            JsonNode welcome = json.readTree(bob.nextMessage(WAIT));
            JsonNode seen = welcome.get("history");
            assertEquals("line " + (LINES - 20), seen.get(0).get("text").asText(), "the welcome's twenty lines");
            JsonNode page = page(bob, positionOf(seen.get(0)), "right-before");
            List<String> texts = new ArrayList<>();
            page.get("events").forEach(e -> texts.add(e.get("text").asText()));
            List<String> expected = new ArrayList<>();
            for (int i = LINES - 70; i < LINES - 20; i++) {
                expected.add("line " + i);
            }
            assertEquals(expected, texts, "the fifty lines right before the welcome's, none missing");
            assertTrue(page.get("more").asBoolean());
        }
    }

    @Test
    void aForgottenPersonsLinesAreGoneFromTheHistory() throws Exception {
        try (ChatServer server = chat().historySize(10).authenticator(ProgramTckSupport::byToken)
                .historyStore(new InMemoryHistoryStore()).start()) {
            TckClient ann = json(server, "/?token=ann");
            TckClient bob = json(server, "/?token=bob");
            ann.send("{\"type\":\"say\",\"text\":\"mine\"}");
            bob.send("{\"type\":\"say\",\"text\":\"his\"}");
            ann.send("{\"type\":\"me\",\"text\":\"waves\"}");
            await().atMost(WAIT).until(() -> page(bob, null, "all").get("events").size() == 3);
            assertEquals(2, server.forget("id-ann"));
            JsonNode left = page(bob, null, "after");
            assertEquals(1, left.get("events").size());
            assertEquals("his", left.get("events").get(0).get("text").asText());
            assertEquals(1, server.room("lobby").history().size(), "memory forgot her too");
        }
    }

    @Test
    void withoutAStoreThePagesComeFromMemory() throws Exception {
        try (ChatServer server = chat().historySize(30).start()) {
            TckClient ann = json(server, "/?nick=ann");
            say(ann, 45);
            JsonNode newest = page(ann, null, "m0");
            assertEquals(30, newest.get("events").size(), "all memory holds");
            assertEquals("line 15", newest.get("events").get(0).get("text").asText());
            assertFalse(newest.get("more").asBoolean());
            JsonNode before = page(ann, positionOf(newest.get("events").get(10)), "m1");
            assertEquals(10, before.get("events").size());
            assertTrue(server.room("lobby").history(java.util.Optional.empty(), 5).events().size() == 5);
        }
    }

    @Test
    void aClientResumingFurtherBackThanMemoryGetsWhatTheStoreKept() throws Exception {
        try (ChatServer server = chat().historySize(10).historyStore(new InMemoryHistoryStore()).start()) {
            TckClient ann = json(server, "/?nick=ann");
            List<String> positions = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ann.send("{\"type\":\"say\",\"text\":\"line " + i + "\"}");
            }
            while (positions.size() < 40) {
                positions.add(positionOf(next(ann, "message")));
            }
            await().atMost(WAIT).until(() -> page(ann, null, "w").get("events").size() == 40);
            TckClient back = connector.connect(uri(server, "/?nick=bob&since=" + positions.get(5)), Map.of(),
                    List.of(JsonFormat.SUBPROTOCOL));
            JsonNode welcome = json.readTree(back.nextMessage(WAIT));
            assertFalse(welcome.get("missed").asBoolean(), "the store has what memory let go of: " + welcome);
            List<String> texts = new ArrayList<>();
            welcome.get("history").forEach(e -> texts.add(e.get("text").asText()));
            List<String> expected = new ArrayList<>();
            for (int i = 6; i < 40; i++) {
                expected.add("line " + i);
            }
            assertEquals(expected, texts, "every line after the one it saw, once, in order");
        }
        try (ChatServer server = chat().historySize(10).start()) {
            TckClient ann = json(server, "/?nick=ann");
            say(ann, 20);
            ann.send("{\"type\":\"history\",\"limit\":1,\"id\":\"x\"}");
            String oldest = positionOf(next(ann, "history").get("events").get(0));
            String epoch = oldest.substring(0, oldest.indexOf(':'));
            TckClient back = connector.connect(uri(server, "/?nick=bob&since=" + epoch + ":2"), Map.of(),
                    List.of(JsonFormat.SUBPROTOCOL));
            assertTrue(json.readTree(back.nextMessage(WAIT)).get("missed").asBoolean(), "without a store, missed");
        }
    }
}
