package io.github.wschat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wschat.broker.RoomEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/PROTOCOL.md shows what the formats really write and read. */
class ProtocolDocTest {

    private static final String EPOCH = "3f9c2a71";

    private final String doc = read();

    private static String read() {
        try {
            return Files.readString(Path.of("..", "docs", "PROTOCOL.md"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void shown(String frame) {
        assertTrue(doc.contains(frame), "docs/PROTOCOL.md shows " + frame);
    }

    @Test
    void everyJsonEventExampleIsWhatTheFormatWrites() {
        JsonFormat json = JsonFormat.INSTANCE;
        shown(json.event(EPOCH, 3, 1764057602000L, new RoomEvent.Message("ann", "hi rita")));
        shown(json.event(EPOCH, 4, 1764057603000L, new RoomEvent.Action("ann", "waves")));
        shown(json.event(EPOCH, 5, 1764057604000L, new RoomEvent.Joined("bob")));
        shown(json.event(EPOCH, 6, 1764057605000L, new RoomEvent.Left("bob")));
        shown(json.event(EPOCH, 7, 1764057606000L, new RoomEvent.Renamed("rita", "rita2")));
        shown(json.event(EPOCH, 8, 1764057607000L, new RoomEvent.Private("ann", "rita2", "psst")));
        shown(json.event(EPOCH, 9, 1764057608000L, new RoomEvent.Notice("the quiz starts at 8")));
        shown(json.event(EPOCH, 10, 1764057609000L, new RoomEvent.Removed("bob", "spamming", 0)));
        shown(json.event(EPOCH, 11, 1764057610000L, new RoomEvent.Removed("eve", "spamming", 3_600_000)));
        shown(json.event(EPOCH, 12, 1764057611000L, new RoomEvent.Muted("bob", 600_000, "shouting")));
        shown(json.members("lobby", List.of("ann", "rita2")));
        shown(json.status(false, "the room is degraded: lines cannot be sent until the connection to the other nodes is back."));
        shown(json.status(true, "the room is back: lines go through again."));
        shown(json.error(ChatError.NICKNAME_TAKEN, "nickname in use: ann"));
        String welcome = json.welcome("rita", "lobby", List.of("ann", "rita"), List.of(
                new Sequenced(1, 1764057600000L, new RoomEvent.Joined("ann")),
                new Sequenced(2, 1764057601250L, new RoomEvent.Message("ann", "hello"))), new Recovery(EPOCH, false, false)).get(0);
        int start = doc.indexOf("{\"type\":\"welcome\"");
        String shownWelcome = doc.substring(start, doc.indexOf("```", start)).replaceAll("\\s*\n\\s*", "");
        assertEquals(welcome, shownWelcome);
        shown(json.event(EPOCH, 13, 1764057612000L, new RoomEvent.Message("rita2", "hello")));
        shown(json.ack("c7-41", EPOCH, 13));
        shown(json.ack("c7-42"));
        shown(json.members("lobby", List.of("ann", "rita2"), "c7-43"));
        shown(json.error(ChatError.NO_SUCH_MEMBER, "no one called bo in lobby", "c7-44"));
        for (ChatError error : ChatError.values()) {
            shown("`" + error.code() + "`");
        }
    }

    @Test
    void everyClientExampleReadsAsItsCommand() {
        JsonFormat json = JsonFormat.INSTANCE;
        assertEquals(new ClientCommand.Say("hello"), json.parse("{\"type\":\"say\",\"text\":\"hello\"}"));
        assertEquals(new ClientCommand.Me("waves"), json.parse("{\"type\":\"me\",\"text\":\"waves\"}"));
        assertEquals(new ClientCommand.Nick("rita2"), json.parse("{\"type\":\"nick\",\"name\":\"rita2\"}"));
        assertEquals(new ClientCommand.Who(), json.parse("{\"type\":\"who\"}"));
        assertEquals(new ClientCommand.Msg("ann", "psst"), json.parse("{\"type\":\"msg\",\"to\":\"ann\",\"text\":\"psst\"}"));
        assertEquals(new ClientCommand.Say("/nick x"), json.parse("{\"type\":\"say\",\"text\":\"/nick x\"}"));
        ClientCommand.Moderate.Action kick = ClientCommand.Moderate.Action.KICK;
        for (var example : java.util.Map.of(
                "{\"type\":\"kick\",\"nick\":\"bob\",\"reason\":\"spamming\"}",
                new ClientCommand.Moderate(kick, "bob", java.time.Duration.ZERO, "spamming"),
                "{\"type\":\"mute\",\"nick\":\"bob\",\"duration\":\"10m\",\"reason\":\"shouting\"}",
                new ClientCommand.Moderate(ClientCommand.Moderate.Action.MUTE, "bob", java.time.Duration.ofMinutes(10), "shouting"),
                "{\"type\":\"unmute\",\"nick\":\"bob\"}",
                new ClientCommand.Moderate(ClientCommand.Moderate.Action.UNMUTE, "bob", java.time.Duration.ZERO, ""),
                "{\"type\":\"ban\",\"nick\":\"eve\",\"duration\":\"1h\",\"reason\":\"spamming\"}",
                new ClientCommand.Moderate(ClientCommand.Moderate.Action.BAN, "eve", java.time.Duration.ofHours(1), "spamming"))
                .entrySet()) {
            shown(example.getKey());
            assertEquals(example.getValue(), json.parse(example.getKey()));
        }
        assertEquals(new ClientCommand.Moderate(ClientCommand.Moderate.Action.MUTE, "bob", java.time.Duration.ofMinutes(10), ""),
                PlainTextFormat.INSTANCE.parse("/mute bob 10m"));
        assertEquals(ChatError.BAD_COMMAND, ((ClientCommand.Invalid) PlainTextFormat.INSTANCE.parse("/ban eve soon")).error());
        assertEquals(ChatError.MALFORMED, ((ClientCommand.Invalid) json.parse("{\"type\":\"mute\",\"nick\":\"bob\"}")).error());
        for (String frame : List.of("{\"type\":\"say\",\"text\":\"hello\"}", "{\"type\":\"me\",\"text\":\"waves\"}",
                "{\"type\":\"nick\",\"name\":\"rita2\"}", "{\"type\":\"who\"}", "{\"type\":\"msg\",\"to\":\"ann\",\"text\":\"psst\"}")) {
            shown(frame);
        }
        shown("{\"type\":\"say\",\"id\":\"c7-41\",\"text\":\"hello\"}");
        assertEquals(new ClientCommand.Identified("c7-41", new ClientCommand.Say("hello")),
                json.parse("{\"type\":\"say\",\"id\":\"c7-41\",\"text\":\"hello\"}"));
        assertEquals(ChatError.MALFORMED, ((ClientCommand.Invalid) json.parse("{\"type\":\"say\",\"id\":7,\"text\":\"x\"}")).error());
        assertEquals(ChatError.MALFORMED, ((ClientCommand.Invalid) json.parse("{\"type\":\"say\",\"id\":\"a b\",\"text\":\"x\"}")).error());
        assertEquals(ChatError.MALFORMED, ((ClientCommand.Invalid) json.parse("[1,2]")).error());
        assertEquals(ChatError.MALFORMED, ((ClientCommand.Invalid) json.parse("")).error());
        assertEquals(ChatError.MALFORMED, ((ClientCommand.Invalid) json.parse("{\"type\":\"msg\",\"to\":\"a\"}")).error());
        assertEquals(ChatError.UNKNOWN_COMMAND, ((ClientCommand.Invalid) json.parse("{\"type\":\"dance\"}")).error());
    }

    @Test
    void everyPlainLineShownIsWhatTheFormatWrites() {
        PlainTextFormat plain = PlainTextFormat.INSTANCE;
        shown("`" + plain.event(1, 0, new RoomEvent.Message("ann", "hello")) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Left("ann")) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Joined("ann")) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Renamed("ann", "anna")) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Notice("the quiz starts at 8")) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Removed("bob", "spamming", 0)) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Removed("bob", "spamming", 3_600_000)) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Muted("bob", 600_000, "shouting")) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Muted("bob", 0, "")) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Action("ann", "waves")) + "`");
        shown("`" + plain.event(1, 0, new RoomEvent.Private("ann", "bob", "psst")) + "`");
        shown("`" + plain.members("lobby", List.of("ann", "bob")) + "`");
        assertEquals(new ClientCommand.Say("/text"), plain.parse("//text"));
        assertEquals(new ClientCommand.Msg("bob", "psst now"), plain.parse("/msg bob psst now"));
        assertEquals(ChatError.BAD_COMMAND, ((ClientCommand.Invalid) plain.parse("/msg bob")).error());
        assertEquals(ChatError.UNKNOWN_COMMAND, ((ClientCommand.Invalid) plain.parse("/etc/passwd")).error());
    }
}
