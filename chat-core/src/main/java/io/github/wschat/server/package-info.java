/**
 * The chat server: {@link io.github.wschat.server.ChatServer} turns connections from any transport
 * into rooms with nicknames, following the Common Lisp Cookbook's chat (the seed), exactly.
 */
package io.github.wschat.server;
