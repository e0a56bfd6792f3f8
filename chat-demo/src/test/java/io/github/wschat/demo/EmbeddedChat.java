package io.github.wschat.demo;

import io.github.wschat.server.ChatServer;
import java.io.IOException;

public final class EmbeddedChat {

    /** Starts the seed's chat room; port 0 picks a free port. */
    public static ChatServer start(String host, int port) throws IOException {
        return ChatServer.builder()
                .transport("java-websocket") // or "netty"; optional with one transport on the class path
                .host(host)
                .port(port)
                .start();             // bound and accepting when this returns
    }

    public static void main(String[] args) throws IOException {
        ChatServer server = start("0.0.0.0", 12345);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close)); // clients get 1001
        System.out.println("chat at ws://localhost:12345/chat");
    }
}
