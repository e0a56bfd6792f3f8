package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ModerationTck;

/** Kicks, mutes and bans from handles and operators, on the transport. */
class ModerationOnJavaWebSocketTest extends ModerationTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
