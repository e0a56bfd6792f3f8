/**
 * What an application may program: who members are ({@link io.github.wschat.app.Identity}), who may
 * enter a room ({@link io.github.wschat.app.JoinHook}), which lines pass and as what
 * ({@link io.github.wschat.app.LineFilter}), and, from a running server, a
 * {@linkplain io.github.wschat.app.RoomHandle room's handle}: its members and history, lines posted
 * by the application, kicks, mutes and bans. docs/EMBEDDING.md walks through each with its threads,
 * order and failures.
 *
 * <p>Everything here keeps the room's one order: what a hook decides takes its place among the
 * room's events like any member's line, on one node and across nodes.
 */
package io.github.wschat.app;
