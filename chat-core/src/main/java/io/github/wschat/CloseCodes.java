package io.github.wschat;

/**
 * The WebSocket close codes (RFC 6455 section 7.4) that wschat sends or reports.
 *
 * <p>Applications may send {@link #NORMAL}, the codes 1001–1014 that RFC 6455 and the IANA registry
 * allow on the wire, and their own codes in 3000–4999. {@link #ABNORMAL} is never sent: it is what
 * a close event reports when the peer vanished without a close frame.
 */
public final class CloseCodes {

    /** 1000: the purpose of the connection was fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: the server is going down, or the client navigated away. */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the WebSocket protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the peer sent a kind of data this endpoint does not accept (wschat: binary frames). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reported only; the peer's close frame carried no status code. */
    public static final int NO_STATUS = 1005;
    /** 1006: reported only; the connection ended without a close frame (peer vanished, timeout). */
    public static final int ABNORMAL = 1006;
    /** 1007: a text message was not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: the peer broke a policy of this server (flooding, a slow reader over its budget). */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message was larger than this server accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1011: the server met an error it could not recover from for this connection. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1013: the server is overloaded; try again later. */
    public static final int TRY_AGAIN_LATER = 1013;

    /** 4001 (wschat's own): a moderator removed the member from the room; the reason says why. */
    public static final int REMOVED = 4001;
    /** 4003 (wschat's own): the member's identity or address is banned; the reason says why and for how long. */
    public static final int BANNED = 4003;

    /**
     * 4401: the credential the member connected with (a token) expired and was not refreshed in time
     * (see {@code HandshakeAuthenticator.refresh}): connect again with a fresh one.
     */
    public static final int EXPIRED = 4401;

    /** The longest close reason, in bytes of UTF-8, that fits a close frame. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /**
     * Whether {@code code} may be sent in a close frame.
     *
     * @param code a close code
     * @return true for 1000, 1001–1003, 1007–1014, and 3000–4999
     */
    public static boolean isSendable(int code) {
        return code == NORMAL
                || (code >= GOING_AWAY && code <= UNSUPPORTED_DATA)
                || (code >= INVALID_PAYLOAD && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
