package io.github.wschat.demo;

import io.github.wschat.Connection;
import io.github.wschat.app.Identity;
import io.github.wschat.app.JoinVerdict;
import io.github.wschat.app.LineFilter;
import io.github.wschat.app.LineVerdict;
import io.github.wschat.broker.RoomEvent;
import io.github.wschat.server.Authentication;
import io.github.wschat.server.ChatServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The examples of docs/EMBEDDING.md, word for word between their markers; EmbeddingExamplesTest runs them. */
final class EmbeddingExamples {

    private EmbeddingExamples() {
    }

    /** A moderation service that answers later: here, it refuses lines that shout. */
    interface ModerationService {
        CompletionStage<Boolean> isAcceptable(String userId, String text);
    }

    static ModerationService shoutingIsNotAcceptable() {
        return (userId, text) -> CompletableFuture.supplyAsync(() -> !text.equals(text.toUpperCase()) || text.length() < 4);
    }

    static ChatServer.Builder wordFilter(ChatServer.Builder builder) {
        // example: word-filter
        Map<String, String> softer = Map.of("darn", "d**n", "heck", "h**k");
        builder.lineFilter(LineFilter.synchronous((sender, room, line) -> {
            String text = line.text();
            for (Map.Entry<String, String> word : softer.entrySet()) {
                text = text.replace(word.getKey(), word.getValue());
            }
            return text.equals(line.text()) ? LineVerdict.accept() : LineVerdict.rewrite(text);
        }));
        // end
        return builder;
    }

    static ChatServer.Builder staffRoom(ChatServer.Builder builder, Map<String, Identity> usersByToken) {
        // example: staff-room
        builder.authenticator(handshake -> handshake.queryParameter("token")
                        .map(usersByToken::get)
                        .map(Authentication::accept)
                        .orElse(Authentication.refuse(401, "a valid token is required")))
                .joinHook((identity, room) -> room.equals("staff") && !identity.hasRole("operator")
                        ? JoinVerdict.refuse(403, "staff only")
                        : JoinVerdict.allow());
        // end
        return builder;
    }

    static ChatServer.Builder moderationService(ChatServer.Builder builder, ModerationService service) {
        // example: moderation-service
        builder.lineFilter((sender, room, line) -> service.isAcceptable(sender.identity().id(), line.text())
                        .thenApply(ok -> ok ? LineVerdict.accept() : LineVerdict.refuse("please do not shout")))
                .lineFilterDeadline(Duration.ofMillis(500), LineVerdict.accept()); // the service is late: let it pass
        // end
        return builder;
    }

    static void announceAndModerate(ChatServer server) {
        // example: handles
        server.room("lobby").post("The quiz starts at 8 pm.");
        server.room("lobby").mute("spammer", Duration.ofMinutes(10), "too many links")
                .exceptionally(failure -> null); // NoSuchElementException: no one of that name in the room
        // end
    }

    static Connection welcomeBot(ChatServer server) {
        // example: welcome-bot
        Pattern joined = Pattern.compile(" \\.\\.\\.\\. (\\S+) has joined\\.");
        Connection greeter = server.room("lobby").bot("greeter", "", bot -> bot.onMessage(line -> {
            Matcher m = joined.matcher(line);
            if (m.matches() && !m.group(1).equals("greeter")) {
                bot.send("/msg " + m.group(1) + " welcome! type /who to see who is here");
            }
        }));
        // end
        return greeter;
    }

    /** The application's table of lines: each saved once, by its position. */
    interface Lines {
        void save(String room, String epoch, long sequence, long time, String nick, String text);
    }

    static ChatServer.Builder saveEveryLine(ChatServer.Builder builder, Lines database) {
        // example: save-lines
        builder.listener(placed -> {
            if (placed.event() instanceof RoomEvent.Message message) {
                database.save(placed.room(), placed.epoch(), placed.sequence(), placed.time(),
                        message.nick(), message.text());
            }
        });
        // end
        return builder;
    }

    static ChatServer start(ChatServer.Builder builder) throws IOException {
        return builder.host("127.0.0.1").port(0).transport("netty").start();
    }
}
