package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.DevicesTck;

/** One person on several devices, on the transport. */
class DevicesOnNettyTest extends DevicesTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
