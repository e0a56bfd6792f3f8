package io.github.wschat.server;

import io.github.wschat.Connection;

/** A connection in a room, under a nickname. */
record Member(Connection connection, String nick) {
}
