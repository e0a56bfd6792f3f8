package io.github.wschat.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wschat.broker.RoomEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packed form in which a handover carries a stream entry's fields. */
class EventFieldsTest {

    @Test
    void packedFieldsComeBackAsTheyWereWhateverTheyHold() {
        Map<String, String> fields = Map.of("t", "1732573200123", "k", "p", "a", "12:ann", "b", "", "c",
                "3:colons: and digits 42:x, a café and 😀 and\nnew lines");
        assertEquals(fields, EventFields.unpack(EventFields.pack(fields)));
    }

    @Test
    void missingFieldsPackAsEmpty() {
        assertEquals(Map.of("t", "", "k", "j", "a", "bob", "b", "", "c", ""),
                EventFields.unpack(EventFields.pack(Map.of("k", "j", "a", "bob"))));
    }

    @Test
    void everyKindOfEventComesBackFromItsFields() {
        for (RoomEvent event : List.of(new RoomEvent.Message("ann", "hi"), new RoomEvent.Action("ann", "waves"),
                new RoomEvent.Joined("ann"), new RoomEvent.Left("ann"), new RoomEvent.Renamed("ann", "anna"),
                new RoomEvent.Private("ann", "bob", "psst"), new RoomEvent.Notice("the quiz starts at 8"),
                new RoomEvent.Removed("eve", "spamming", 0), new RoomEvent.Removed("eve", "spamming", 3_600_000),
                new RoomEvent.Removed("eve", "spamming", 3_600_000, true),
                new RoomEvent.Muted("bob", 600_000, "shouting"), new RoomEvent.Muted("bob", 0, ""))) {
            String[] parts = EventFields.of(event);
            assertEquals(event, EventFields.event(Map.of("k", parts[0], "a", parts[1], "b", parts[2], "c", parts[3])));
        }
    }

    @Test
    void somethingElseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventFields.unpack("no colon here"));
    }
}
