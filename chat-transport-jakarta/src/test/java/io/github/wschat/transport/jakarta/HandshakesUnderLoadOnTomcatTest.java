package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.HandshakesUnderLoadTck;

/** Handshakes answered while the room is abused and busy, on the Jakarta transport in embedded Tomcat. */
@OnTomcat
class HandshakesUnderLoadOnTomcatTest extends HandshakesUnderLoadTck {

    @Override
    protected Transport transport() {
        return new EmbeddedTomcat();
    }
}
