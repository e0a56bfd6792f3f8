package io.github.wschat.protocol;

/** What went wrong with a client's input; told to that client alone, never closing it. */
public enum ChatError {
    /** A known command with missing or extra arguments. */
    BAD_COMMAND("bad_command"),
    /** A command the server does not know. */
    UNKNOWN_COMMAND("unknown_command"),
    /** A nickname that breaks the nickname rules. */
    INVALID_NICKNAME("invalid_nickname"),
    /** A nickname another connection on the server holds. */
    NICKNAME_TAKEN("nickname_taken"),
    /** A private message to a nickname that is not in the room. */
    NO_SUCH_MEMBER("no_such_member"),
    /** A line over the rate limit, not sent. */
    RATE_LIMITED("rate_limited"),
    /** A line the room could not take (its shared broker is unreachable); it was not sent to anyone. */
    UNAVAILABLE("unavailable"),
    /** A frame the wire format cannot read (e.g. not JSON, or a JSON command without its fields). */
    MALFORMED("malformed"),
    /** A line the application's line filter refused (or could not check in time); it was not sent to anyone. */
    REFUSED("refused"),
    /** A line from a member a moderator muted; it was not sent to anyone. The text says for how long. */
    MUTED("muted"),
    /** A command the member's identity does not allow, e.g. {@code /kick} without the operator role. */
    NOT_ALLOWED("not_allowed"),
    /** A command with an id where the server cannot acknowledge lines (its broker cannot place a line once). */
    UNSUPPORTED("unsupported");

    private final String code;

    ChatError(String code) {
        this.code = code;
    }

    /**
     * The stable code clients match on, e.g. {@code nickname_taken}.
     *
     * @return the code
     */
    public String code() {
        return code;
    }
}
