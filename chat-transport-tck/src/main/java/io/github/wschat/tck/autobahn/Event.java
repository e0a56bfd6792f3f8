package io.github.wschat.tck.autobahn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One thing the server did that a case compares: a message (text or binary), a ping, a pong; or a
 * point the case itself reached while the connection stood (the suite's "timeout" events). Immutable.
 */
final class Event {

    private final String kind;
    private final byte[] data;
    private final boolean binary;

    private Event(String kind, byte[] data, boolean binary) {
        this.kind = kind;
        this.data = data;
        this.binary = binary;
    }

    static Event message(byte[] data, boolean binary) {
        return new Event("message", data, binary);
    }

    static Event text(String text) {
        return message(text.getBytes(StandardCharsets.UTF_8), false);
    }

    static Event ping(byte[] data) {
        return new Event("ping", data, false);
    }

    static Event pong(byte[] data) {
        return new Event("pong", data, false);
    }

    static Event pong(String data) {
        return pong(data.getBytes(StandardCharsets.UTF_8));
    }

    static Event timeout(String tag) {
        return new Event("timeout", tag.getBytes(StandardCharsets.UTF_8), false);
    }

    boolean isMessage() {
        return kind.equals("message");
    }

    boolean binary() {
        return binary;
    }

    int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Event e && kind.equals(e.kind) && binary == e.binary && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        if (kind.equals("timeout")) {
            return "reached(" + new String(data, StandardCharsets.UTF_8) + ")";
        }
        String shown = data.length <= 32 ? HexFormat.of().formatHex(data)
                : HexFormat.of().formatHex(data, 0, 16) + "… (" + data.length + " bytes)";
        return kind + (binary ? "[binary]" : "") + "(" + shown + ")";
    }
}
