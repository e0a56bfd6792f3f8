/**
 * The runnable demo: the chat server on Java-WebSocket and a tiny HTTP server for the chat page.
 */
package io.github.wschat.demo;
