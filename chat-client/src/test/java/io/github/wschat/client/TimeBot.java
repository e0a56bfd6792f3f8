package io.github.wschat.client;

import java.net.URI;
import java.time.LocalTime;

public final class TimeBot {
    /** Joins the room as "clock" and answers every "!time" with the time, each answer placed once. */
    public static ChatClient start(URI room) {
        return ChatClient.builder(room)
                .nick("clock")
                .onEvent((client, event) -> {
                    if (event instanceof ChatEvent.Message m && m.text().equals("!time")) {
                        client.say(m.from() + ": it is " + LocalTime.now().withNano(0))
                                .exceptionally(refused -> null); // e.g. rate_limited: skip this one
                    }
                })
                .connect();
    }
}
