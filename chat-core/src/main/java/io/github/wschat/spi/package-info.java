/**
 * The transport SPI: what an adapter for a WebSocket library implements. Intended for authors of
 * transports, not for applications.
 *
 * <p>A transport is a few classes of glue. {@link io.github.wschat.spi.Transport} starts a
 * {@link io.github.wschat.spi.TransportServer}; for every handshake it asks the
 * {@link io.github.wschat.spi.ConnectionHandler} to {@linkplain
 * io.github.wschat.spi.ConnectionHandler#admit admit} it, then hands over a connection built on
 * {@link io.github.wschat.spi.AbstractConnection}, which keeps the handlers and enforces the event
 * contract of {@link io.github.wschat.Connection}. Register the transport for
 * {@link java.util.ServiceLoader} in {@code META-INF/services/io.github.wschat.spi.Transport}, and
 * prove it with the test kit in {@code chat-transport-tck}.
 *
 * <p>For a transport that writes encoded frames itself, {@link io.github.wschat.spi.TextFrames}
 * encodes a server's text frames once per message (plain, or compressed with
 * {@code permessage-deflate} for the members that negotiated it, kept on the
 * {@link io.github.wschat.spi.SharedText}), {@link io.github.wschat.spi.PerMessageDeflate}
 * negotiates the extension as {@link io.github.wschat.spi.TransportOptions#compression()} says,
 * and {@link io.github.wschat.spi.MessageInflater} inflates what clients send within the message
 * limit. A transport that cannot compress declines the extension; the kit checks either way.
 */
package io.github.wschat.spi;
