package io.github.wschat.examples.springboot;

import io.github.wschat.server.ChatServer;
import io.github.wschat.transport.jakarta.JakartaTransport;
import java.io.IOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;

/**
 * The chat page and the chat on one port, in Spring Boot's embedded Tomcat: the page is a static
 * resource, the chat is wschat mounted at {@code /chat} (rooms at {@code /chat/NAME}) through the
 * Jakarta WebSocket transport. Run it with {@code java -jar}, open {@code http://localhost:8080/}.
 */
@SpringBootApplication
@EnableConfigurationProperties(ChatProperties.class)
public class ChatApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's arguments, e.g. {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }

    /** Where the chat is mounted: {@code /chat} and the rooms below it. */
    @Bean
    JakartaTransport chatTransport() {
        return JakartaTransport.create();
    }

    /** Mounts it while the web application starts, as servlets must be. */
    @Bean
    ServletContextInitializer chatMount(JakartaTransport chatTransport) {
        return chatTransport::mount;
    }

    /** The chat server, attached to the mount; closed with the application. */
    @Bean(destroyMethod = "close")
    ChatServer chatServer(JakartaTransport chatTransport, ChatProperties chat) throws IOException {
        return ChatServer.builder()
                .transport(chatTransport)
                .allowedOrigins(chat.allowedOrigins())
                .historySize(chat.history())
                .announceJoins(chat.announceJoins())
                .rateLimit(chat.ratePerSecond(), chat.rateBurst())
                .maxConnections(chat.maxConnections())
                .maxConnectionsPerAddress(chat.maxConnectionsPerAddress())
                .maxQueuedBytes(chat.maxOutboundBytes())
                .pingInterval(chat.pingInterval())
                .start();
    }
}
