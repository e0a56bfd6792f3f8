package io.github.wschat.client;

import java.util.Objects;

/**
 * The server refused a send: its line reached no one. The {@link #code()} is the protocol's error
 * code (docs/PROTOCOL.md), e.g. {@code rate_limited}, {@code refused}, {@code muted},
 * {@code no_such_member}, {@code nickname_taken}; the message is the server's text. Immutable.
 */
public final class ChatRefusedException extends RuntimeException {

    /** For serialization. */
    private static final long serialVersionUID = 1L;

    /** The protocol's error code. */
    private final String code;

    /**
     * @param code the protocol's error code
     * @param text the server's explanation
     */
    public ChatRefusedException(String code, String text) {
        super(Objects.requireNonNull(text, "text"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @return the protocol's error code, e.g. {@code rate_limited}
     */
    public String code() {
        return code;
    }
}
