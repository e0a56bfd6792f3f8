package io.github.wschat.tck;

import io.github.wschat.spi.TransportServer;
import java.util.List;
import java.util.Map;

/** Opens {@link TckClient}s to a server of the transport under test. Thread-safe. */
public interface TckClientConnector extends AutoCloseable {

    /**
     * Opens a connection and waits until it is open.
     *
     * @param server the server
     * @param target the request target, e.g. {@code /chat?x=1}
     * @param headers extra request headers
     * @param subprotocols the subprotocols to offer, in order of preference
     * @return the open client
     * @throws HandshakeRefusedException if the server refused the handshake
     */
    TckClient connect(TransportServer server, String target, Map<String, String> headers, List<String> subprotocols)
            throws HandshakeRefusedException;

    /**
     * Opens a connection without extra headers or subprotocols.
     *
     * @param server the server
     * @param target the request target
     * @return the open client
     * @throws HandshakeRefusedException if the server refused the handshake
     */
    default TckClient connect(TransportServer server, String target) throws HandshakeRefusedException {
        return connect(server, target, Map.of(), List.of());
    }

    /** Releases the connector's resources. */
    @Override
    void close();
}
