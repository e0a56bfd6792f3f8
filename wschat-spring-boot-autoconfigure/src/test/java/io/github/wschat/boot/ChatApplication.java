package io.github.wschat.boot;

import io.github.wschat.app.ChatListener;
import io.github.wschat.broker.RoomEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/** A Boot application with nothing of the chat's but two listeners: the starter does the rest. */
@SpringBootApplication
public class ChatApplication {

    /** What the listeners heard, each line as "listener: text", in the order they heard it. */
    @Bean
    List<String> heard() {
        return new CopyOnWriteArrayList<>();
    }

    @Bean
    @Order(2)
    ChatListener second(List<String> heard) {
        return recording("second", heard);
    }

    @Bean
    @Order(1)
    ChatListener first(List<String> heard) {
        return recording("first", heard);
    }

    private static ChatListener recording(String name, List<String> heard) {
        return event -> {
            if (event.event() instanceof RoomEvent.Message line) {
                heard.add(name + ": " + line.text());
            }
        };
    }
}
