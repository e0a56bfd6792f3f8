/**
 * Identities from any backend: {@link io.github.wschat.auth.jwt.JwtAuthenticator}, a
 * {@link io.github.wschat.server.HandshakeAuthenticator} that accepts JSON Web Tokens signed by the
 * application's backend — in Node, Python, Go, PHP or Java — without custom Java on the chat's side.
 */
package io.github.wschat.auth.jwt;
