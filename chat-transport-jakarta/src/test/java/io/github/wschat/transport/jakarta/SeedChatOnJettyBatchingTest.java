package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.SeedChatTck;

/** SeedChatTck on the Jakarta transport with the container batching messages, mounted in embedded Jetty. */
class SeedChatOnJettyBatchingTest extends SeedChatTck {

    @Override
    protected Transport transport() {
        return EmbeddedJetty.batching();
    }
}
