package io.github.wschat.boot;

import io.github.wschat.protocol.JsonFormat;
import io.github.wschat.protocol.PlainTextFormat;
import io.github.wschat.protocol.WireFormat;
import io.github.wschat.server.ChatServer;
import io.github.wschat.spi.Compression;
import io.github.wschat.spi.Transports;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Gives {@code ChatServer.Builder} the {@code wschat.*} settings, one at a time, so that a value the
 * builder refuses fails the start naming its property: Boot's failure analysis prints it as
 * "Invalid value ... for configuration property 'wschat.history'" with the builder's reason.
 */
final class ChatServerSettings {

    private ChatServerSettings() {
    }

    static ChatServer.Builder apply(WschatProperties p, ChatServer.Builder builder) {
        set("wschat.path", p.getPath(), () -> builder.path(p.getPath()));
        set("wschat.allowed-origins", p.getAllowedOrigins(), () -> builder.allowedOrigins(p.getAllowedOrigins()));
        set("wschat.history", p.getHistory(), () -> builder.historySize(p.getHistory()));
        set("wschat.history-bytes", p.getHistoryBytes(),
                () -> builder.historyBytes(p.getHistoryBytes().toBytes(), p.getHistoryBytesTotal().toBytes()));
        set("wschat.history-bytes-total", p.getHistoryBytesTotal(),
                () -> builder.historyBytes(p.getHistoryBytes().toBytes(), p.getHistoryBytesTotal().toBytes()));
        set("wschat.announce-joins", p.isAnnounceJoins(), () -> builder.announceJoins(p.isAnnounceJoins()));
        set("wschat.max-connections", p.getMaxConnections(), () -> builder.maxConnections(p.getMaxConnections()));
        set("wschat.max-connections-per-address", p.getMaxConnectionsPerAddress(),
                () -> builder.maxConnectionsPerAddress(p.getMaxConnectionsPerAddress()));
        set("wschat.leave-grace", p.getLeaveGrace(), () -> builder.leaveGrace(p.getLeaveGrace()));
        set("wschat.max-connections-per-identity", p.getMaxConnectionsPerIdentity(),
                () -> builder.maxConnectionsPerIdentity(p.getMaxConnectionsPerIdentity()));
        set("wschat.max-rooms", p.getMaxRooms(), () -> builder.maxRooms(p.getMaxRooms()));
        set("wschat.max-message-bytes", p.getMaxMessageBytes(), () -> builder.maxMessageBytes(p.getMaxMessageBytes()));
        set("wschat.max-queued-bytes", p.getMaxQueuedBytes(), () -> builder.maxQueuedBytes(p.getMaxQueuedBytes()));
        set("wschat.compression", p.getCompression(), () -> builder.compression(Compression.parse(p.getCompression())));
        set("wschat.ping-interval", p.getPingInterval(), () -> builder.pingInterval(p.getPingInterval()));
        // One builder call takes both: the rate first with a burst it always accepts, so that each
        // refusal names its own property.
        set("wschat.rate.per-second", p.getRate().getPerSecond(),
                () -> builder.rateLimit(p.getRate().getPerSecond(), 1));
        set("wschat.rate.burst", p.getRate().getBurst(),
                () -> builder.rateLimit(p.getRate().getPerSecond(), p.getRate().getBurst()));
        set("wschat.formats", p.getFormats(), () -> builder.wireFormats(formats(p.getFormats())));
        set("wschat.operator-role", p.getOperatorRole(), () -> builder.operatorRole(p.getOperatorRole()));
        return builder;
    }

    /** The transport {@code wschat.transport} names, on {@code wschat.port} and {@code wschat.address}. */
    static ChatServer.Builder ownPort(WschatProperties p, ChatServer.Builder builder) {
        String name = p.getTransport().trim();
        set("wschat.transport", name, () -> builder.transport(Transports.named(name)));
        set("wschat.port", p.getPort(), () -> {
            if (p.getPort() < 0 || p.getPort() > 65_535) {
                throw new IllegalArgumentException("a port is 0 (any free one) to 65535");
            }
            builder.port(p.getPort());
        });
        if (p.getAddress() != null) {
            set("wschat.address", p.getAddress(), () -> builder.host(p.getAddress()));
        }
        return builder;
    }

    private static List<WireFormat> formats(List<String> names) {
        List<WireFormat> formats = new ArrayList<>();
        for (String name : names) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "plain" -> formats.add(PlainTextFormat.INSTANCE);
                case "json" -> formats.add(JsonFormat.INSTANCE);
                default -> throw new IllegalArgumentException("unknown format " + name + ": plain or json");
            }
        }
        return formats;
    }

    /** Runs {@code apply}; a refusal of the chat's becomes Boot's failure naming {@code property}. */
    static void set(String property, Object value, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException | NullPointerException refused) {
            throw new InvalidConfigurationPropertyValueException(property, value,
                    refused.getMessage() == null ? "the chat refused it" : refused.getMessage());
        }
    }
}
