package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ProgrammableChatTck;

/** ProgrammableChatTck on the Jakarta transport, mounted in embedded Jetty. */
class ProgrammableChatOnJettyTest extends ProgrammableChatTck {

    @Override
    protected Transport transport() {
        return new EmbeddedJetty();
    }
}
