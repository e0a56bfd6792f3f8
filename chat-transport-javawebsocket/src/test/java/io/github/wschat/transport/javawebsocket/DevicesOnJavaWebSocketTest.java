package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.DevicesTck;

/** One person on several devices, on the transport. */
class DevicesOnJavaWebSocketTest extends DevicesTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
