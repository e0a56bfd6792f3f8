package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.DevicesTck;

/** DevicesTck on the Jakarta transport, mounted in embedded Tomcat. */
@OnTomcat
class DevicesOnTomcatTest extends DevicesTck {

    @Override
    protected Transport transport() {
        return new EmbeddedTomcat();
    }
}
