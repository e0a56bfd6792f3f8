package io.github.wschat.transport.javawebsocket;

import io.github.wschat.spi.Compression;
import io.github.wschat.spi.PerMessageDeflate;
import java.util.Collections;
import java.util.List;
import org.java_websocket.extensions.DefaultExtension;
import org.java_websocket.extensions.IExtension;

/**
 * {@code permessage-deflate} in Java-WebSocket's handshake: accepts the client's first acceptable
 * offer ({@link PerMessageDeflate#negotiate}) and answers it. Compressed frames never reach the
 * library's frame decoder ({@link InflatingFrames} inflates them first) and compressed frames to
 * the client are encoded by the connection, so for frames this is the default extension: a reserved
 * bit on a frame the decoder sees fails the connection with 1002. One per connection's draft.
 */
final class DeflateExtension extends DefaultExtension {

    private final Compression compression;
    private PerMessageDeflate agreement;

    DeflateExtension(Compression compression) {
        this.compression = compression;
    }

    /** What the client negotiated, or null if it negotiated nothing (yet). */
    PerMessageDeflate agreement() {
        return agreement;
    }

    @Override
    public boolean acceptProvidedExtensionAsServer(String offers) {
        List<String> headers = offers == null ? Collections.emptyList() : List.of(offers);
        agreement = PerMessageDeflate.negotiate(headers, compression).orElse(null);
        return agreement != null;
    }

    @Override
    public boolean acceptProvidedExtensionAsClient(String answer) {
        return false;
    }

    @Override
    public String getProvidedExtensionAsServer() {
        return agreement == null ? "" : agreement.responseHeader();
    }

    @Override
    public IExtension copyInstance() {
        return new DeflateExtension(compression);
    }

    @Override
    public void reset() {
        agreement = null;
    }

    @Override
    public String toString() {
        return agreement == null ? "DeflateExtension" : agreement.toString();
    }
}
