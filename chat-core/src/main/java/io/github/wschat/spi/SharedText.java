package io.github.wschat.spi;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * One text message on its way to many connections, as fan-out hands it to each: the transport
 * may turn it into its wire form once (e.g. an encoded WebSocket frame) and give every connection
 * the same bytes. A transport that does not care sends {@link #text()} as usual (the default of
 * {@link AbstractConnection#sendShared}). Thread-safe; a wire form may be made more than once when
 * connections race for it, but one is kept, and every connection gets that one.
 */
public final class SharedText {

    private final String text;
    private static final Object[] NONE = {};

    /** Encoder, form, encoder, form...: few, and replaced whole when one is added. */
    private volatile Object[] forms = NONE;

    /**
     * @param text the message
     */
    public SharedText(String text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /**
     * The message.
     *
     * @return the text
     */
    public String text() {
        return text;
    }

    /**
     * A wire form of the message, made by {@code encoder} on first use and kept for that encoder:
     * a transport keeps a form per encoder object (for example a plain frame and a compressed one),
     * so it must pass the same object each time for the same form (a constant, or one per server,
     * never a new lambda per call), and treat the form it gets as read-only.
     *
     * @param encoder turns the text into the wire form
     * @param <T> the type of the wire form
     * @return the wire form
     */
    @SuppressWarnings("unchecked")
    public <T> T wireForm(Function<String, T> encoder) {
        Object[] kept = forms;
        for (int i = 0; i < kept.length; i += 2) {
            if (kept[i] == encoder) {
                return (T) kept[i + 1];
            }
        }
        T form = Objects.requireNonNull(encoder.apply(text), "wire form");
        synchronized (this) {
            kept = forms;
            for (int i = 0; i < kept.length; i += 2) {
                if (kept[i] == encoder) {
                    return (T) kept[i + 1]; // made meanwhile by another thread: every member gets one form
                }
            }
            Object[] more = Arrays.copyOf(kept, kept.length + 2);
            more[kept.length] = encoder;
            more[kept.length + 1] = form;
            forms = more;
        }
        return form;
    }

    @Override
    public String toString() {
        return "SharedText[" + text + "]";
    }
}
