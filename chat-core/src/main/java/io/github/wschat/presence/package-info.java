/**
 * Presence by person: the building blocks with which a server treats one person on many devices as
 * one member of a room. {@link io.github.wschat.presence.People} keeps a room's people on one node
 * with their devices and says when a person arrives (its first device) and leaves (its last);
 * {@link io.github.wschat.presence.Announcements} places those joins and leaves in the order they
 * were decided; {@link io.github.wschat.presence.ConnectionQuota} bounds how many connections one
 * identity holds at once.
 *
 * <p>Cluster-wide presence (a person on devices connected to several nodes) is the
 * {@link io.github.wschat.broker.Roster}'s: it counts each member's devices per node and decides the
 * first arrival and the last departure across the nodes.
 */
package io.github.wschat.presence;
