package io.github.wschat.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The chat page and the chat on one port, in Spring Boot's embedded Tomcat: the page is a static
 * resource, the chat is wschat's starter ({@code io.github.wschat:wschat-spring-boot-starter}),
 * mounted at {@code /chat} (rooms at {@code /chat/NAME}) and set up by {@code wschat.*} properties
 * in application.properties. No chat code of its own. Run it with {@code java -jar}, open
 * {@code http://localhost:8080/}.
 */
@SpringBootApplication
public class ChatApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's arguments, e.g. {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }
}
