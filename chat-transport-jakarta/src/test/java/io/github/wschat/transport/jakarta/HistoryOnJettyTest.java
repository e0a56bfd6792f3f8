package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.HistoryTck;

/** HistoryTck on the Jakarta transport, mounted in embedded Jetty. */
class HistoryOnJettyTest extends HistoryTck {

    @Override
    protected Transport transport() {
        return new EmbeddedJetty();
    }
}
