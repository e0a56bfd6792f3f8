package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.DevicesTck;

/** DevicesTck on the Jakarta transport, mounted in embedded Jetty. */
class DevicesOnJettyTest extends DevicesTck {

    @Override
    protected Transport transport() {
        return new EmbeddedJetty();
    }
}
