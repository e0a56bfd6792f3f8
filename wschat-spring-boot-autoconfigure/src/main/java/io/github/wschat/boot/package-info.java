/**
 * Spring Boot auto-configuration for wschat: add {@code io.github.wschat:wschat-spring-boot-starter}
 * to a servlet Boot application (Boot 3.5 or 4.0) and the chat is mounted at {@code /chat} on its own
 * port, configured by {@code wschat.*} properties, with Actuator health and meters where Actuator is.
 */
package io.github.wschat.boot;
