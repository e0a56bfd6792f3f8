package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ProgrammableChatTck;

/** The application's hooks, handles and moderation, on Java-WebSocket. */
class ProgrammableChatOnJavaWebSocketTest extends ProgrammableChatTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
