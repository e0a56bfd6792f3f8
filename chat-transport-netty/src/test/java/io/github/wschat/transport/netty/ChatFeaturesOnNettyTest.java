package io.github.wschat.transport.netty;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ChatFeaturesTck;

/** History, presence and the JSON protocol, on Netty. */
class ChatFeaturesOnNettyTest extends ChatFeaturesTck {

    @Override
    protected Transport transport() {
        return new NettyTransport();
    }
}
