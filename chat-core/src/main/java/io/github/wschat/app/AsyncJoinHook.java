package io.github.wschat.app;

import java.util.concurrent.CompletionStage;

/**
 * Decides who may enter which room by asking something that answers later: a backend over HTTP
 * ({@code io.github.wschat.api.HttpJoinHook}), a directory, a database. Where a {@link JoinHook}
 * must answer at once on a transport thread during the handshake, this one is asked once the
 * WebSocket is open and answers when it can, on any thread.
 *
 * <p><b>What the client sees.</b> The connection opens but has not joined: nothing is announced,
 * nothing is delivered to it, and what it sends waits. When every asynchronous hook allowed it, the
 * member joins as any other (welcome, join announcement) and what it sent meanwhile is handled, in
 * order. A refusal closes the connection before it ever joined: with close code 4000 + the verdict's
 * status for a 4xx status (4403 for 403, 4429 for 429), with 1013 (try again later) for a 5xx one;
 * the close reason is the verdict's. A hook that throws, fails its stage, returns null, or has not
 * answered within the deadline ({@code ChatServer.Builder.asyncJoinDeadline}, 5 s by default) refuses
 * with 1013 — the member is never let in unchecked (an implementation that prefers to let members in
 * when its backend is away answers {@link JoinVerdict#allow()} itself, as {@code HttpJoinHook}'s
 * {@code failOpen()} does).
 *
 * <pre>{@code
 * .asyncJoinHook((identity, room) -> directory.isMember(identity.id(), room)   // a CompletionStage<Boolean>
 *         .thenApply(ok -> ok ? JoinVerdict.allow() : JoinVerdict.refuse(403, "members only")))
 * }</pre>
 *
 * <p>Runs after every {@link JoinHook} allowed the handshake; several asynchronous hooks are asked one
 * after another, in the order added, and the first refusal decides. Called on transport threads
 * (return quickly: start the work, do not do it); thread-safe. Bots are not asked.
 */
@FunctionalInterface
public interface AsyncJoinHook {

    /**
     * @param identity who wants to enter
     * @param room the room's name
     * @return the verdict, when known; never null
     */
    CompletionStage<JoinVerdict> check(Identity identity, String room);
}
