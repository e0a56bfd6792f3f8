package io.github.wschat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The acknowledgements are written without a tree: they must read as the tree would have written them. */
class JsonAckTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void anAckIsTheJsonATreeWouldWriteEvenForAnEpochThatNeedsEscaping() throws Exception {
        for (String epoch : new String[] {"", "k3x9", "a\"b\\c\u0001é\u2028"}) {
            ObjectNode tree = mapper.createObjectNode().put("type", "ack").put("id", "c7-41").put("epoch", epoch).put("seq", 13);
            String written = JsonFormat.INSTANCE.ack("c7-41", epoch, 13);
            assertEquals(mapper.writeValueAsString(tree), written);
            assertEquals(tree, mapper.readTree(written));
        }
        assertEquals(mapper.writeValueAsString(mapper.createObjectNode().put("type", "ack").put("id", "w:1")),
                JsonFormat.INSTANCE.ack("w:1"));
    }
}
