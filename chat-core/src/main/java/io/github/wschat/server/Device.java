package io.github.wschat.server;

import io.github.wschat.Connection;
import io.github.wschat.protocol.WireFormat;

/** One connection of a {@link Member}: it gets every event of the room that the member gets. */
record Device(Connection connection, WireFormat format, Member member) {
}
