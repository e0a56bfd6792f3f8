/**
 * The wschat transport on Netty 4.2: glue only, no chat logic. {@link
 * io.github.wschat.transport.netty.NettyTransport} is the one public type.
 */
package io.github.wschat.transport.netty;
