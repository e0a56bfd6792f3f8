package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.SeedChatTck;

/** SeedChatTck on the Jakarta transport, mounted in embedded Tomcat. */
@OnTomcat
class SeedChatOnTomcatTest extends SeedChatTck {

    @Override
    protected Transport transport() {
        return new EmbeddedTomcat();
    }
}
