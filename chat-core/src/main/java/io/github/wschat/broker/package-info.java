/**
 * The broker SPI: where a room's events are put in their one order and fanned out to every node
 * that has members of the room. {@link io.github.wschat.broker.InProcessBroker} is the default for
 * a single node; a broker over an external service lets rooms span several nodes.
 */
package io.github.wschat.broker;
