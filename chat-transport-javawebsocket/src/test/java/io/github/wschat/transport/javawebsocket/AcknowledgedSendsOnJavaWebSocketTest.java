package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.AcknowledgedSendsTck;

/** Commands with ids, acknowledged and placed once, on JavaWebSocket. */
class AcknowledgedSendsOnJavaWebSocketTest extends AcknowledgedSendsTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
