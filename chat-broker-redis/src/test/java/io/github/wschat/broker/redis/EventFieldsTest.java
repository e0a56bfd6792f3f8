package io.github.wschat.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void somethingElseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventFields.unpack("no colon here"));
    }
}
