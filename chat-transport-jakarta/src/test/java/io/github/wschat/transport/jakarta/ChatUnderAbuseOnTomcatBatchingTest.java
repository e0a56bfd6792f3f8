package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ChatUnderAbuseTck;

/** ChatUnderAbuseTck on the Jakarta transport, mounted in embedded Tomcat, the container batching messages. */
@OnTomcat
class ChatUnderAbuseOnTomcatBatchingTest extends ChatUnderAbuseTck {

    @Override
    protected Transport transport() {
        return EmbeddedTomcat.batching();
    }
}
