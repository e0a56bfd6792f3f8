/**
 * Wire formats: how room events become frames for a client and how a client's frames become
 * commands. {@link io.github.wschat.protocol.PlainTextFormat} is the seed's plain lines, the default
 * for a client that asks for no subprotocol; {@link io.github.wschat.protocol.JsonFormat} carries
 * typed events for richer clients and is chosen with the {@code wschat.v1.json} subprotocol. A
 * server may offer more formats through {@link io.github.wschat.protocol.WireFormat}.
 */
package io.github.wschat.protocol;
