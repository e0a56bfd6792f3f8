package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ChatFeaturesTck;

/** ChatFeaturesTck on the Jakarta transport, mounted in embedded Tomcat. */
@OnTomcat
class ChatFeaturesOnTomcatTest extends ChatFeaturesTck {

    @Override
    protected Transport transport() {
        return new EmbeddedTomcat();
    }
}
