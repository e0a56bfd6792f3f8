package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.HistoryTck;

/** HistoryTck on the Jakarta transport, mounted in embedded Tomcat. */
@OnTomcat
class HistoryOnTomcatTest extends HistoryTck {

    @Override
    protected Transport transport() {
        return new EmbeddedTomcat();
    }
}
