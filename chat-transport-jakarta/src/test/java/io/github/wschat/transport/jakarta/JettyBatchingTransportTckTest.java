package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.TransportTck;

/** The kit on the Jakarta transport with the container batching messages, mounted in embedded Jetty. */
class JettyBatchingTransportTckTest extends TransportTck {

    @Override
    protected Transport transport() {
        return EmbeddedJetty.batching();
    }

    /** The Jakarta API shows no frame header: the container counts a frame's bytes as they arrive. */
    @Override
    protected boolean refusesOversizeFramesFromTheirHeader() {
        return false;
    }
}
