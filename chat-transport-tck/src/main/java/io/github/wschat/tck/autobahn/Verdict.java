package io.github.wschat.tck.autobahn;

/** How a case's events, or its closing, are judged — the suite's words. */
public enum Verdict {
    /** As RFC 6455 wants. */
    OK("OK"),
    /** Allowed by RFC 6455, though not its first choice (for example failing later than it could). */
    NON_STRICT("NON-STRICT"),
    /** Not defined by RFC 6455: reported, not judged. */
    INFORMATIONAL("INFORMATIONAL"),
    /** The case's feature is not offered (a transport without compression). */
    UNIMPLEMENTED("UNIMPLEMENTED"),
    /** The close frame carried a code the case does not accept. */
    WRONG_CODE("WRONG CODE"),
    /** The closing handshake did not complete, or the server did not drop the connection. */
    UNCLEAN("UNCLEAN"),
    /** Not what RFC 6455 allows. */
    FAILED("FAILED");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /**
     * The suite's word for it.
     *
     * @return e.g. {@code NON-STRICT}
     */
    public String label() {
        return label;
    }
}
