package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ChatUnderAbuseTck;

/** Limits and access checks over a whole chat server, on JavaWebSocket. */
class ChatUnderAbuseOnJavaWebSocketTest extends ChatUnderAbuseTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
