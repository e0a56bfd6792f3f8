package io.github.wschat.transport.javawebsocket;

import io.github.wschat.server.ChatServer;

/** Servers for the tests that check the seed's exact lines: no join announcements, no history. */
final class SeedChat {

    private SeedChat() {
    }

    /** A builder on 127.0.0.1, a free port, that speaks exactly the seed's lines. */
    static ChatServer.Builder builder() {
        return ChatServer.builder().host("127.0.0.1").port(0).historySize(0).announceJoins(false);
    }
}
