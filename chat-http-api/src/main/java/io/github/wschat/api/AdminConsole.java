package io.github.wschat.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin console's files, for whatever serves them (the demo at {@code /admin}, the Boot starter
 * at {@code wschat.api.path + "/console"}): a page, {@value #SCRIPT} and {@value #STYLE}, which the page
 * loads relative to itself. The console is the server HTTP API's client: the rooms with members and a
 * line-rate chart, a room's members and last lines updating every two seconds, and post, kick, mute
 * and ban — every action a request of the API.
 *
 * <p>It authenticates one of two ways: with an API key the operator types in (kept in the tab's
 * {@code sessionStorage}), or — where the container already knows the operator (Spring Security) —
 * with the page's session, the API answering {@link ChatApi#handleAs} for it; then the page carries
 * the CSRF header to send with writes. Immutable; thread-safe.
 */
public final class AdminConsole {

    /** The console's script, beside the page. */
    public static final String SCRIPT = "admin.js";
    /** The console's style sheet, beside the page. */
    public static final String STYLE = "admin.css";

    private static final String ROOT = "console/";
    private static final String API_MARK = "<meta name=\"wschat-api\" content=\"/api\">";

    private final byte[] page;

    /** The files as the jar holds them, read once (when first needed) and never changed or handed out. */
    private static final class Files {
        static final String PAGE = new String(load("admin.html"), StandardCharsets.UTF_8);
        static final Map<String, byte[]> ASSETS = Map.of(SCRIPT, load(SCRIPT), STYLE, load(STYLE));

        private Files() {
        }
    }

    private AdminConsole(byte[] page) {
        this.page = page;
    }

    /**
     * The console for operators who type in an API key.
     *
     * @param api where the API is, as the page's script reaches it: e.g. {@code /api}
     * @return the console
     */
    public static AdminConsole withKeys(String api) {
        return new AdminConsole(page(api, "key", null, null));
    }

    /**
     * The console for operators the container authenticated (their session is the page's): no key
     * asked; writes carry the CSRF header, if one is given.
     *
     * @param api where the API is, as the page's script reaches it: e.g. {@code /app/wschat-api}
     * @param csrfHeader the header writes carry the CSRF token in, e.g. {@code X-CSRF-TOKEN}; null for none
     * @param csrfToken the token; null for none
     * @return the console
     */
    public static AdminConsole forSession(String api, String csrfHeader, String csrfToken) {
        return new AdminConsole(page(api, "session", csrfHeader, csrfToken));
    }

    /** @return the page, HTML in UTF-8 */
    public byte[] page() {
        return page.clone();
    }

    /**
     * @param name {@value #SCRIPT} or {@value #STYLE}
     * @return that file, or empty for any other name
     */
    public Optional<byte[]> asset(String name) {
        return Optional.ofNullable(Files.ASSETS.get(name)).map(byte[]::clone);
    }

    /**
     * @param name a file's name
     * @return its content type: {@code text/javascript}, {@code text/css} or {@code text/html}, in UTF-8
     */
    public static String contentType(String name) {
        return (name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html")
                + "; charset=utf-8";
    }

    private static byte[] page(String api, String auth, String csrfHeader, String csrfToken) {
        Objects.requireNonNull(api, "api");
        String html = Files.PAGE;
        StringBuilder meta = new StringBuilder("<meta name=\"wschat-api\" content=\"").append(attribute(api))
                .append("\">\n  <meta name=\"wschat-auth\" content=\"").append(auth).append("\">");
        if (csrfHeader != null && csrfToken != null) {
            meta.append("\n  <meta name=\"wschat-csrf-header\" content=\"").append(attribute(csrfHeader)).append("\">")
                    .append("\n  <meta name=\"wschat-csrf-token\" content=\"").append(attribute(csrfToken)).append("\">");
        }
        if (!html.contains(API_MARK)) {
            throw new IllegalStateException("the console page lost its API mark");
        }
        return html.replace(API_MARK, meta).getBytes(StandardCharsets.UTF_8);
    }

    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] load(String name) {
        try (InputStream in = Objects.requireNonNull(AdminConsole.class.getResourceAsStream(ROOT + name), name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's " + name, e);
        }
    }
}
