package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.LeavingTck;

/** Every way a member leaves, on JavaWebSocket. */
class LeavingOnJavaWebSocketTest extends LeavingTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
