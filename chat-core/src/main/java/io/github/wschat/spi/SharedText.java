package io.github.wschat.spi;

import java.util.Objects;
import java.util.function.Function;

/**
 * One text message on its way to many connections, as fan-out hands it to each: the transport
 * may turn it into its wire form once (e.g. an encoded WebSocket frame) and give every connection
 * the same bytes. A transport that does not care sends {@link #text()} as usual (the default of
 * {@link AbstractConnection#sendShared}). Thread-safe; the wire form is made at most a few times
 * when connections race for it, and then kept.
 */
public final class SharedText {

    private final String text;
    private volatile Object wireForm;

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
     * The transport's wire form of the message, made by {@code encoder} on first use. One
     * transport serves a server, so one form is kept; a transport must always pass the same
     * encoder, and treat the form it gets as read-only.
     *
     * @param encoder turns the text into the wire form
     * @param <T> the type of the wire form
     * @return the wire form
     */
    @SuppressWarnings("unchecked")
    public <T> T wireForm(Function<String, T> encoder) {
        Object form = wireForm;
        if (form == null) {
            form = Objects.requireNonNull(encoder.apply(text), "wire form");
            wireForm = form;
        }
        return (T) form;
    }

    @Override
    public String toString() {
        return "SharedText[" + text + "]";
    }
}
