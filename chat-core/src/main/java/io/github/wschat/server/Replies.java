package io.github.wschat.server;

import io.github.wschat.Connection;
import io.github.wschat.broker.Broker;
import io.github.wschat.broker.BrokerUnavailableException;
import io.github.wschat.broker.Placement;
import io.github.wschat.protocol.ChatError;
import io.github.wschat.protocol.ClientCommand;
import io.github.wschat.protocol.WireFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What one session answers its own client: errors, the members, and — for commands that carried an
 * id — acknowledgements with the place their line took, or errors carrying the id. An answer may be
 * sent from a broker's thread once an outcome completes; {@link Connection#send} is thread-safe.
 */
final class Replies {

    static final String UNCONFIRMED = "the room did not confirm that line: the connection broke as it was sent; "
            + "the others got it or none did.";
    static final String NOT_SENT = "the room is unavailable: that line was not sent; try again in a moment.";
    static final String CANNOT_ACK = "this server cannot acknowledge lines (its broker cannot place a line once): "
            + "send without an id.";

    private final Connection connection;
    private final WireFormat format;
    private final ChatMetrics metrics;

    Replies(Connection connection, WireFormat format, ChatMetrics metrics) {
        this.connection = connection;
        this.format = format;
        this.metrics = metrics;
    }

    /** The id a frame's command carries, for answering a frame refused before it was read; or null. */
    String idOf(String frame) {
        return frame.contains("\"id\"") && format.parse(frame) instanceof ClientCommand.Identified identified
                ? identified.id() : null;
    }

    /** An error about a command; {@code id} is the command's, or null. */
    void error(ChatError error, String text, String id) {
        connection.send(id == null ? format.error(error, text) : format.error(error, text, id));
    }

    /** The answer to {@code who}; {@code id} is the command's, or null. */
    void members(String room, List<String> members, String id) {
        connection.send(id == null ? format.members(room, members) : format.members(room, members, id));
    }

    /** A command with an id was carried out without placing a line. */
    void done(String id) {
        connection.send(format.ack(id));
    }

    /** The outcome of publishing a line without an id: the sender hears only of a failure. */
    void published(CompletionStage<Void> outcome) {
        if (outcome != Broker.placed()) {
            outcome.whenComplete((placed, failure) -> {
                if (failure != null) {
                    failed(failure, null);
                }
            });
        }
    }

    /** The outcome of publishing a line with an id: its acknowledgement, or an error with the id. */
    void placed(String id, CompletionStage<Placement> outcome) {
        outcome.whenComplete((placement, failure) -> {
            if (failure == null) {
                connection.send(format.ack(id, placement.epoch(), placement.sequence()));
            } else {
                failed(failure, id);
            }
        });
    }

    private void failed(Throwable failure, String id) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof UnsupportedOperationException) {
            metrics.lineRefused("unsupported");
            error(ChatError.UNSUPPORTED, CANNOT_ACK, id);
            return;
        }
        metrics.lineRefused("unavailable");
        boolean uncertain = cause instanceof BrokerUnavailableException b && b.isUncertain();
        error(ChatError.UNAVAILABLE, uncertain ? UNCONFIRMED : NOT_SENT, id);
    }
}
