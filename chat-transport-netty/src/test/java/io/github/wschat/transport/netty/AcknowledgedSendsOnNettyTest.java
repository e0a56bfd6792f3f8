package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.AcknowledgedSendsTck;

/** Commands with ids, acknowledged and placed once, on Netty. */
class AcknowledgedSendsOnNettyTest extends AcknowledgedSendsTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
