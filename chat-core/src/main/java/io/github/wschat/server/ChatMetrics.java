package io.github.wschat.server;

/**
 * What the chat tells its metrics, once per event or per connection — never once per member. The
 * default, {@link #NONE}, does nothing, so a server without a meter registry measures nothing and
 * pays a no-op call. Implementations are thread-safe.
 */
interface ChatMetrics {

    /** Measures nothing. */
    ChatMetrics NONE = new ChatMetrics() {
    };

    /** Whether fan-out should be timed: reading the clock costs, so only when someone listens. */
    default boolean timesFanout() {
        return false;
    }

    /** A handshake was answered: 101 when accepted, else the refusal's status. */
    default void handshake(int status) {
    }

    /** A connection became a member. */
    default void opened() {
    }

    /** A member's connection closed, with this code and reason. */
    default void closed(int code, String reason) {
    }

    /** A message frame arrived from a member. */
    default void lineReceived() {
    }

    /** A line was not sent, for this reason ({@code rate}). */
    default void lineRefused(String reason) {
    }

    /** One room event was queued on {@code deliveries} members, {@code bytes} bytes in all. */
    default void delivered(int deliveries, long bytes) {
    }

    /** Whether members' outbound queues should be sampled. */
    default boolean samplesOutbound() {
        return false;
    }

    /** One member's outbound queue held this many bytes when sampled. */
    default void outboundQueued(long bytes) {
    }

    /** A line took this long from its arrival to the end of its fan-out. */
    default void fannedOut(long nanos) {
    }
}
