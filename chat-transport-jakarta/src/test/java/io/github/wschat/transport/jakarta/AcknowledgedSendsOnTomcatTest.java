package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.AcknowledgedSendsTck;

/** AcknowledgedSendsTck on the Jakarta transport, mounted in embedded Tomcat. */
@OnTomcat
class AcknowledgedSendsOnTomcatTest extends AcknowledgedSendsTck {

    @Override
    protected Transport transport() {
        return new EmbeddedTomcat();
    }
}
