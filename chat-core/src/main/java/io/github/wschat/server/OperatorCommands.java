package io.github.wschat.server;

import io.github.wschat.app.Identity;
import io.github.wschat.app.RoomHandle;
import io.github.wschat.protocol.ChatError;
import io.github.wschat.protocol.ClientCommand;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** An operator's {@code /kick}, {@code /mute}, {@code /unmute} and {@code /ban}, through the room's handle. */
final class OperatorCommands {

    private OperatorCommands() {
    }

    /**
     * Carries out the step if the member's identity has the operator role; otherwise, or if no one is
     * called so in the room, or the room is unavailable, tells the member with an error; a step that
     * carried an id is acknowledged once done.
     */
    static void perform(ClientCommand.Moderate step, Identity identity, String nick, String roomName,
            SessionContext chat, Replies replies, String id) {
        String what = "/" + step.action().name().toLowerCase(Locale.ROOT);
        if (!identity.hasRole(chat.operatorRole())) {
            replies.error(ChatError.NOT_ALLOWED, "only operators may " + what, id);
            return;
        }
        String reason = step.reason().isEmpty() ? "by " + nick : step.reason();
        RoomHandle handle = new ServerRoomHandle(roomName, chat.rooms(), null);
        CompletionStage<Void> done;
        switch (step.action()) {
            case KICK:
                done = handle.kick(step.nick(), reason);
                break;
            case MUTE:
                done = handle.mute(step.nick(), step.duration(), reason);
                break;
            case UNMUTE:
                done = handle.unmute(step.nick());
                break;
            default:
                done = handle.ban(step.nick(), step.duration(), reason);
                break;
        }
        done.whenComplete((placed, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof NoSuchElementException) {
                replies.error(ChatError.NO_SUCH_MEMBER, "no one called " + step.nick() + " in " + roomName, id);
            } else if (cause != null) {
                replies.error(ChatError.UNAVAILABLE, "the room is unavailable: " + what + " was not done; try again in a moment.",
                        id);
            } else if (id != null) {
                replies.done(id);
            }
        });
    }
}
