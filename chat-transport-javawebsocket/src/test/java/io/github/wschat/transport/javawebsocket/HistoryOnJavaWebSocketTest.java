package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.HistoryTck;

/** History beyond memory, on the transport. */
class HistoryOnJavaWebSocketTest extends HistoryTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
