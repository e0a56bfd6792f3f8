package io.github.wschat.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The URI a connection is made to: the room's, with the nickname held and where to resume after. */
final class ResumeUri {

    private ResumeUri() {
    }

    /**
     * The base URI, its own query kept (e.g. {@code token=}) but for {@code nick} and {@code since},
     * which become the nickname held now and the last event delivered.
     *
     * @param nick the nickname to ask for, or null
     * @param epoch the epoch of the last event delivered, or null before the first welcome
     * @param seq its sequence
     */
    static URI of(URI base, String nick, String epoch, long seq) {
        StringBuilder query = new StringBuilder();
        if (base.getRawQuery() != null) {
            for (String pair : base.getRawQuery().split("&")) {
                if (!pair.startsWith("nick=") && !pair.startsWith("since=") && !pair.isEmpty()) {
                    append(query, pair);
                }
            }
        }
        if (nick != null) {
            append(query, "nick=" + URLEncoder.encode(nick, StandardCharsets.UTF_8));
        }
        if (epoch != null) {
            append(query, "since=" + epoch + ":" + seq);
        }
        String s = base.toString();
        int cut = s.indexOf('?');
        return URI.create((cut < 0 ? s : s.substring(0, cut)) + (query.length() == 0 ? "" : "?" + query));
    }

    private static void append(StringBuilder query, String pair) {
        query.append(query.length() == 0 ? "" : "&").append(pair);
    }
}
