package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Transport;
import io.github.wschat.tck.ChatFeaturesTck;

/** History, presence and the JSON protocol, on JavaWebSocket. */
class ChatFeaturesOnJavaWebSocketTest extends ChatFeaturesTck {

    @Override
    protected Transport transport() {
        return new JavaWebSocketTransport();
    }
}
