/**
 * The wschat transport on TooTallNate's Java-WebSocket: glue only, no chat logic.
 */
package io.github.wschat.transport.javawebsocket;
