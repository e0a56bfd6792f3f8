package io.github.wschat.spi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code permessage-deflate} extension (RFC 7692) as one connection negotiated it: which
 * offer of the client's {@code Sec-WebSocket-Extensions} the server accepted, the response header
 * that says so, and what the agreement allows. Immutable and thread-safe.
 *
 * <p>The server always compresses without context takeover in {@link Compression.Mode#SHARED}
 * mode (it answers {@code server_no_context_takeover}), so that one compressed frame serves every
 * member. A client that limits the server's window ({@code server_max_window_bits=N}) is answered
 * with the same limit; a frame compressed without context takeover refers back at most as far as
 * its own message is long, so it is valid for that client when its message is at most
 * 2<sup>N</sup> bytes ({@link #accepts(int)}) and the longer ones go to it uncompressed. The
 * client's own window and context takeover are whatever it offered: the server inflates with
 * a 32 KiB window, and keeps it between messages unless the client offered
 * {@code client_no_context_takeover}.
 *
 * <p>Offers are taken in the client's order; an offer is declined (and the next one tried) if it
 * has a parameter RFC 7692 does not define for an offer, a parameter twice, or a value out of range.
 */
public final class PerMessageDeflate {

    /** The extension's name, the token clients offer. */
    public static final String NAME = "permessage-deflate";

    private static final int MIN_WINDOW_BITS = 8;
    private static final int MAX_WINDOW_BITS = 15;

    private final int serverMaxWindowBits;
    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final String response;

    private PerMessageDeflate(int serverMaxWindowBits, boolean serverWindowAsked, boolean serverNoContextTakeover,
            boolean clientNoContextTakeover) {
        this.serverMaxWindowBits = serverMaxWindowBits;
        this.serverNoContextTakeover = serverNoContextTakeover;
        this.clientNoContextTakeover = clientNoContextTakeover;
        StringBuilder header = new StringBuilder(NAME);
        if (serverNoContextTakeover) {
            header.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            header.append("; client_no_context_takeover");
        }
        if (serverWindowAsked) {
            header.append("; server_max_window_bits=").append(serverMaxWindowBits);
        }
        this.response = header.toString();
    }

    /**
     * Chooses the first acceptable {@code permessage-deflate} offer among the client's.
     *
     * @param offers the values of the request's {@code Sec-WebSocket-Extensions} headers (each may
     *     list several extensions, comma-separated); empty if it had none
     * @param compression the server's setting
     * @return the agreement, or empty if compression is off or no offer was acceptable (the
     *     response then names no extension and every frame goes uncompressed)
     */
    public static Optional<PerMessageDeflate> negotiate(List<String> offers, Compression compression) {
        Objects.requireNonNull(offers, "offers");
        Objects.requireNonNull(compression, "compression");
        if (!compression.enabled()) {
            return Optional.empty();
        }
        for (String header : offers) {
            if (header == null) {
                continue;
            }
            for (String offer : split(header, ',')) {
                Optional<PerMessageDeflate> accepted = accept(offer, compression);
                if (accepted.isPresent()) {
                    return accepted;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<PerMessageDeflate> accept(String offer, Compression compression) {
        List<String> parts = split(offer, ';');
        if (parts.isEmpty() || !parts.get(0).trim().equalsIgnoreCase(NAME)) {
            return Optional.empty();
        }
        Set<String> seen = new HashSet<>();
        int serverBits = MAX_WINDOW_BITS;
        boolean serverBitsAsked = false;
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        for (String parameter : parts.subList(1, parts.size())) {
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            String value = equals < 0 ? null : unquote(parameter.substring(equals + 1).trim());
            if (!seen.add(name)) {
                return Optional.empty();
            }
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (value != null) {
                        return Optional.empty();
                    }
                    serverNoContext = true;
                }
                case "client_no_context_takeover" -> {
                    if (value != null) {
                        return Optional.empty();
                    }
                    clientNoContext = true;
                }
                case "server_max_window_bits" -> {
                    int bits = windowBits(value);
                    if (bits < 0) {
                        return Optional.empty();
                    }
                    serverBits = bits;
                    serverBitsAsked = true;
                }
                case "client_max_window_bits" -> {
                    // No value: the client could limit its window; the server does not ask it to.
                    // A value: the client's window is at most that, and an inflater of 32 KiB reads it.
                    if (value != null && windowBits(value) < 0) {
                        return Optional.empty();
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        // A window kept between messages may reach 32 KiB back (the JDK's deflater has no smaller one): a
        // client that allows less gets each message compressed on its own.
        boolean noServerContext = serverNoContext || compression.mode() == Compression.Mode.SHARED
                || serverBits < MAX_WINDOW_BITS;
        return Optional.of(new PerMessageDeflate(serverBits, serverBitsAsked, noServerContext, clientNoContext));
    }

    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0'
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int bits = Integer.parseInt(value);
        return bits >= MIN_WINDOW_BITS && bits <= MAX_WINDOW_BITS ? bits : -1;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** Splits on a separator outside quoted strings. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(part.toString().trim());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString().trim());
        parts.removeIf(String::isEmpty);
        return parts;
    }

    /**
     * The value of the response's {@code Sec-WebSocket-Extensions} header.
     *
     * @return e.g. {@code permessage-deflate; server_no_context_takeover}
     */
    public String responseHeader() {
        return response;
    }

    /**
     * Whether a message of this many UTF-8 bytes, compressed without context takeover, is within
     * the window the client allowed the server.
     *
     * @param plainBytes the message's UTF-8 size
     * @return true if its compressed frame may go to this client
     */
    public boolean accepts(int plainBytes) {
        return serverMaxWindowBits == MAX_WINDOW_BITS || plainBytes <= (1 << serverMaxWindowBits);
    }

    /**
     * Whether the server compresses each message on its own (always so in shared mode).
     *
     * @return true if {@code server_no_context_takeover} was answered
     */
    public boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /**
     * Whether the client compresses each message on its own, so that nothing is kept between its
     * messages.
     *
     * @return true if {@code client_no_context_takeover} was answered
     */
    public boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /**
     * The largest window the server may use.
     *
     * @return 8 to 15
     */
    public int serverMaxWindowBits() {
        return serverMaxWindowBits;
    }

    /**
     * A new inflater for this connection's incoming messages.
     *
     * @param maxMessageBytes the limit on a message's inflated size
     * @return the inflater, for one connection's reading thread
     */
    public MessageInflater newInflater(int maxMessageBytes) {
        return new MessageInflater(maxMessageBytes, !clientNoContextTakeover);
    }

    @Override
    public String toString() {
        return response;
    }
}
