package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TypedTextTest {

    @Test
    void lineBreaksSplitAMessageAndControlCharactersGo() {
        assertEquals(List.of("one", "two", "three"), TypedText.lines("one\ntwo\r\n\r\nthree\r"));
        assertEquals(List.of("ab\tc"), TypedText.lines("a\u0000b\tc\u0007"));
        assertEquals(List.of(), TypedText.lines(""));
        assertEquals(List.of(), TypedText.lines("\n\u0000\r\n"));
        assertEquals(List.of("  "), TypedText.lines("  "));
        assertEquals(List.of("漢字 😀"), TypedText.lines("漢字 😀"));
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
