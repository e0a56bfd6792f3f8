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
        assertEquals("lobby", RoomPaths.DEFAULT.roomOf("/").orElseThrow());
        assertEquals("lobby", RoomPaths.DEFAULT.roomOf("/chat").orElseThrow());
        assertEquals("lobby", RoomPaths.DEFAULT.roomOf("/chat/").orElseThrow());
        assertEquals("rust-fans.2", RoomPaths.DEFAULT.roomOf("/chat/rust-fans.2").orElseThrow());
        assertEquals(true, RoomPaths.DEFAULT.roomOf("/other").isEmpty());
        assertEquals(true, RoomPaths.DEFAULT.roomOf("/chat/a/b").isEmpty());
        assertEquals(true, RoomPaths.DEFAULT.roomOf("/chat/" + "x".repeat(65)).isEmpty());
        assertEquals(true, RoomPaths.DEFAULT.roomOf("/chat/caf%C3%A9").isEmpty());
        RoomPaths support = new RoomPaths("/support/chat");
        assertEquals("lobby", support.roomOf("/support/chat").orElseThrow());
        assertEquals("t-42", support.roomOf("/support/chat/t-42").orElseThrow());
        assertEquals(true, support.roomOf("/chat/t-42").isEmpty());
        for (String bad : new String[] {"/", "chat", "/chat/", "//chat", "/chat room", "/chat?x"}) {
            assertEquals(true, org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new RoomPaths(bad)).getMessage().contains("a chat path is"), bad);
        }
    }
}
