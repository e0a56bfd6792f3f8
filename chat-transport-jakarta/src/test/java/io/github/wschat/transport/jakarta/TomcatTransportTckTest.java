package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.TransportTck;

/** The kit on the Jakarta transport, mounted in embedded Tomcat. */
@OnTomcat
class TomcatTransportTckTest extends TransportTck {

    @Override
    protected Transport transport() {
        return new EmbeddedTomcat();
    }

    /** The Jakarta API shows no frame header: the container counts a frame's bytes as they arrive. */
    @Override
    protected boolean refusesOversizeFramesFromTheirHeader() {
        return false;
    }

    /** Tomcat 11 may hang up instead: see {@link TransportTck#closeFrameAlwaysFollowsAnUnfinishedMessage()}. */
    @Override
    protected boolean closeFrameAlwaysFollowsAnUnfinishedMessage() {
        return false;
    }
}
