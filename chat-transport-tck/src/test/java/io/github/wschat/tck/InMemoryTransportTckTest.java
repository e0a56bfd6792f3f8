package io.github.wschat.tck;

import io.github.wschat.spi.Transport;
import io.github.wschat.spi.TransportServer;
import java.util.List;
import java.util.Map;

/** The in-memory transport passes every part of the kit that does not need a socket. */
class InMemoryTransportTckTest extends TransportTck {

    @Override
    protected Transport transport() {
        return new InMemoryTransport();
    }

    @Override
    protected boolean usesSockets() {
        return false;
    }

    @Override
    protected TckClientConnector connector() {
        return new TckClientConnector() {
            @Override
            public TckClient connect(TransportServer server, String target, Map<String, String> headers,
                    List<String> subprotocols) throws HandshakeRefusedException {
                return ((InMemoryServer) server).connect(target, headers, subprotocols);
            }

            @Override
            public void close() {
            }
        };
    }
}
