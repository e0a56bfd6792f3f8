/**
 * The transport test kit: extend {@link io.github.wschat.tck.TransportTck} with a few lines to prove
 * a transport honours the SPI over real sockets with an independent client (the JDK's
 * {@link java.net.http.WebSocket}); and {@link io.github.wschat.tck.InMemoryTransport}, a transport
 * without sockets for fast unit tests of code built on wschat.
 */
package io.github.wschat.tck;
