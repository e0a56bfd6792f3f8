/**
 * The wschat transport on the Jakarta WebSocket API, mounted into a servlet container that owns the
 * port and the threads: glue only, no chat logic. {@link
 * io.github.wschat.transport.jakarta.JakartaTransport} is the one public type.
 */
package io.github.wschat.transport.jakarta;
