package io.github.wschat.demo;

import io.github.wschat.server.ChatServer;
import io.github.wschat.transport.javawebsocket.JavaWebSocketTransport;
import java.io.IOException;
import java.net.InetSocketAddress;

/** The running demo: the chat server and the page server. Closing stops both. */
final class Demo implements AutoCloseable {

    private final ChatServer chat;
    private final PageServer page;

    private Demo(ChatServer chat, PageServer page) {
        this.chat = chat;
        this.page = page;
    }

    static Demo start(String host, int webSocketPort, int httpPort) throws IOException {
        return start(ChatServer.builder().host(host).port(webSocketPort), host, httpPort);
    }

    /** Starts the chat server as configured (on Java-WebSocket) and the page server beside it. */
    static Demo start(ChatServer.Builder configured, String host, int httpPort) throws IOException {
        ChatServer chat = configured.transport(new JavaWebSocketTransport()).start();
        try {
            return new Demo(chat, new PageServer(host, httpPort, chat.address().getPort()));
        } catch (IOException | RuntimeException e) {
            chat.close();
            throw e;
        }
    }

    ChatServer chat() {
        return chat;
    }

    InetSocketAddress webSocketAddress() {
        return chat.address();
    }

    InetSocketAddress pageAddress() {
        return page.address();
    }

    @Override
    public void close() {
        try {
            page.close();
        } finally {
            chat.close();
        }
    }
}
