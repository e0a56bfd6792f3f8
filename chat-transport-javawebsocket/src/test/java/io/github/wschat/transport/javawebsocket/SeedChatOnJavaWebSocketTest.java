package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.SeedChatTck;

/** The seed's chat, end to end, on JavaWebSocket. */
class SeedChatOnJavaWebSocketTest extends SeedChatTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
