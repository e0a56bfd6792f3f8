package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.TransportTck;
import java.time.Duration;

/**
 * The kit on Netty with a flush linger (250 µs): holding a flush back must keep every contract — each
 * message, in order, the close frame after the messages sent before it, the budget.
 */
class NettyLingerTransportTckTest extends TransportTck {

    @Override
    protected Transport transport() {
        return new NettyTransport().withFlushLinger(Duration.ofNanos(250_000));
    }

    @Override
    protected boolean compresses() {
        return true;
    }
}
