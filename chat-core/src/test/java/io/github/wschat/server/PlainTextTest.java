package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wschat.broker.RoomEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainTextTest {

    @Test
    void linesAreTheSeedsToTheCharacter() {
        assertEquals("user-42: hello", PlainText.format(new RoomEvent.Message("user-42", "hello")));
        assertEquals(" .... user-42 has left.", PlainText.format(new RoomEvent.Left("user-42")));
    }

    @Test
    void lineBreaksSplitAMessageAndControlCharactersGo() {
        assertEquals(List.of("one", "two", "three"), PlainText.lines("one\ntwo\r\n\r\nthree\r"));
        assertEquals(List.of("ab\tc"), PlainText.lines("a\u0000b\tc\u0007"));
        assertEquals(List.of(), PlainText.lines(""));
        assertEquals(List.of(), PlainText.lines("\n\u0000\r\n"));
        assertEquals(List.of("  "), PlainText.lines("  "));
        assertEquals(List.of("漢字 😀"), PlainText.lines("漢字 😀"));
    }

    @Test
    void roomPathsFollowTheDocumentedScheme() {
        assertEquals("lobby", RoomPaths.roomOf("/").orElseThrow());
        assertEquals("lobby", RoomPaths.roomOf("/chat").orElseThrow());
        assertEquals("lobby", RoomPaths.roomOf("/chat/").orElseThrow());
        assertEquals("rust-fans.2", RoomPaths.roomOf("/chat/rust-fans.2").orElseThrow());
        assertEquals(true, RoomPaths.roomOf("/other").isEmpty());
        assertEquals(true, RoomPaths.roomOf("/chat/a/b").isEmpty());
        assertEquals(true, RoomPaths.roomOf("/chat/" + "x".repeat(65)).isEmpty());
        assertEquals(true, RoomPaths.roomOf("/chat/caf%C3%A9").isEmpty());
    }
}
