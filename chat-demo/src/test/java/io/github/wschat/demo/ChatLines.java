package io.github.wschat.demo;

import io.github.wschat.tck.TckClient;
import java.time.Duration;

/** Reading plain-text chat lines in tests of a server with its default join announcements. */
final class ChatLines {

    private ChatLines() {
    }

    /** The client's next line that someone said, skipping notices (" .... nick has joined." and the like). */
    static String nextSaid(TckClient client, Duration timeout) {
        String line = client.nextMessage(timeout);
        while (line.startsWith(" .... ")) {
            line = client.nextMessage(timeout);
        }
        return line;
    }
}
