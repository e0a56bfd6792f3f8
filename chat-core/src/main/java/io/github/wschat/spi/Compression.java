package io.github.wschat.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * Whether and how a transport compresses messages with {@code permessage-deflate} (RFC 7692), for
 * the clients that offer it. Immutable and thread-safe.
 *
 * <ul>
 *   <li>{@link Mode#OFF}: the extension is declined; every frame goes as it is.
 *   <li>{@link Mode#SHARED}: the server compresses without context takeover
 *       ({@code server_no_context_takeover}), so a message fanned out to a room is compressed
 *       once and the same compressed frame is written to every member that negotiated the
 *       extension; its cost does not grow with the room. No window is kept per member.
 *   <li>{@link Mode#DEDICATED}: the server keeps a compression window per member (context
 *       takeover, unless the client asks for none): each line is compressed for each member, which
 *       compresses short, similar messages far better, at a CPU cost that grows with the room and
 *       some 260 KiB of native memory per member.
 * </ul>
 *
 * <p>Messages whose UTF-8 form is shorter than the {@linkplain #threshold() threshold}, and those
 * that would not get smaller, are sent uncompressed (RSV1 clear) whatever the mode. Messages from
 * clients are inflated in every mode but {@code OFF}, with the message limit applied to the
 * inflated size.
 */
public final class Compression {

    /** How messages to clients are compressed. */
    public enum Mode {
        /** The extension is declined. */
        OFF,
        /** One compressed frame per message, shared by every member that negotiated the extension. */
        SHARED,
        /** A compression window per member; every message compressed for each member. */
        DEDICATED
    }

    /** The default threshold, in bytes of UTF-8: a chat line of a few words or more. */
    public static final int DEFAULT_THRESHOLD = 64;
    /**
     * The default zlib level: on chat lines every level gives the same size in the same time (most of
     * it zlib resetting its state between lines); on long messages (history) level 1 is the fastest.
     */
    public static final int DEFAULT_LEVEL = 1;

    private static final Compression OFF = new Compression(Mode.OFF, DEFAULT_THRESHOLD, DEFAULT_LEVEL);

    private final Mode mode;
    private final int threshold;
    private final int level;

    private Compression(Mode mode, int threshold, int level) {
        this.mode = mode;
        this.threshold = threshold;
        this.level = level;
    }

    /**
     * No compression: the extension is declined.
     *
     * @return the setting
     */
    public static Compression off() {
        return OFF;
    }

    /**
     * Shared compression with the default threshold and level.
     *
     * @return the setting
     */
    public static Compression shared() {
        return new Compression(Mode.SHARED, DEFAULT_THRESHOLD, DEFAULT_LEVEL);
    }

    /**
     * Dedicated compression (a window per member) with the default threshold and level.
     *
     * @return the setting
     */
    public static Compression dedicated() {
        return new Compression(Mode.DEDICATED, DEFAULT_THRESHOLD, DEFAULT_LEVEL);
    }

    /**
     * Parses {@code off}, {@code shared} or {@code dedicated} (any case), as the demo's
     * {@code --compression} and the configuration properties give it.
     *
     * @param text the mode's name
     * @return the setting, with the default threshold and level
     * @throws IllegalArgumentException for another name
     */
    public static Compression parse(String text) {
        Objects.requireNonNull(text, "text");
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "off" -> off();
            case "shared" -> shared();
            case "dedicated" -> dedicated();
            default -> throw new IllegalArgumentException(
                    "compression must be off, shared or dedicated, not \"" + text + "\"");
        };
    }

    /**
     * This setting with another threshold.
     *
     * @param bytes the smallest UTF-8 size that is compressed, 0 or more
     * @return a new setting
     */
    public Compression threshold(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("threshold must be 0 or more: " + bytes);
        }
        return new Compression(mode, bytes, level);
    }

    /**
     * This setting with another zlib level.
     *
     * @param level 1 (fastest) to 9 (smallest)
     * @return a new setting
     */
    public Compression level(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("level must be 1 to 9: " + level);
        }
        return new Compression(mode, threshold, level);
    }

    /**
     * The mode.
     *
     * @return how messages to clients are compressed
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Whether the extension is negotiated at all.
     *
     * @return false for {@link Mode#OFF}
     */
    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /**
     * The smallest message, in bytes of UTF-8, that is compressed.
     *
     * @return the threshold
     */
    public int threshold() {
        return threshold;
    }

    /**
     * The zlib compression level.
     *
     * @return 1 to 9
     */
    public int level() {
        return level;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Compression c && c.mode == mode && c.threshold == threshold && c.level == level;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, threshold, level);
    }

    @Override
    public String toString() {
        return mode == Mode.OFF ? "off" : mode.name().toLowerCase(Locale.ROOT) + " (threshold " + threshold
                + " B, level " + level + ")";
    }
}
