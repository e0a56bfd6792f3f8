package io.github.wschat.examples.readme;

import io.github.wschat.server.ChatServer;
import io.github.wschat.transport.jakarta.JakartaTransport;
import java.io.IOException;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class ReadmeChatConfiguration {

    @Bean // where the chat lives: /chat, and /chat/NAME for the other rooms
    JakartaTransport chatTransport() {
        return JakartaTransport.create();
    }

    @Bean // mounted while Tomcat starts the web application
    ServletContextInitializer chatMount(JakartaTransport chatTransport) {
        return chatTransport::mount;
    }

    @Bean(destroyMethod = "close") // clients get 1001 when the application stops
    ChatServer chatServer(JakartaTransport chatTransport) throws IOException {
        return ChatServer.builder().transport(chatTransport).start();
    }
}
