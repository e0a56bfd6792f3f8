/**
 * What an application holds: a {@link io.github.wschat.Connection} with its event handlers and the
 * {@link io.github.wschat.Handshake} it was opened with.
 *
 * <p>Nothing in this package knows a WebSocket library; transports live in their own modules and
 * plug in through {@link io.github.wschat.spi}.
 */
package io.github.wschat;
