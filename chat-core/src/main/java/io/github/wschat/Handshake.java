package io.github.wschat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The facts of a WebSocket opening handshake, as the client sent them. Immutable.
 *
 * @param path the request path without the query, as sent (not decoded), e.g. {@code /chat}
 * @param query the raw query string without {@code ?}, or the empty string if there is none
 * @param headers the request headers; names are matched case-insensitively
 * @param remoteAddress the peer's address
 */
public record Handshake(
        String path, String query, Map<String, List<String>> headers, InetSocketAddress remoteAddress) {

    /**
     * Checks and copies the parts. The headers are kept as an immutable map whose names match in any
     * case; names that differ only in case become one entry with the values of all.
     *
     * @param path the request path without the query, as sent (not decoded), e.g. {@code /chat}
     * @param query the raw query string without {@code ?}, or the empty string if there is none
     * @param headers the request headers; names are matched case-insensitively
     * @param remoteAddress the peer's address
     * @throws NullPointerException if any part, a header's name, its list of values or a value is null
     * @throws IllegalArgumentException if the path does not start with {@code /}
     */
    public Handshake {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        headers = HeaderMap.copyOf(headers);
    }

    /**
     * Builds a handshake from a request target: the origin form {@code /chat?nick=ann}, or the
     * absolute form {@code http://host/chat?nick=ann} that HTTP allows, whose path and query are kept.
     *
     * @param target the request target as sent
     * @param headers the request headers
     * @param remoteAddress the peer's address
     * @return the handshake
     * @throws IllegalArgumentException if the target is neither form
     */
    public static Handshake of(String target, Map<String, List<String>> headers, InetSocketAddress remoteAddress) {
        Objects.requireNonNull(target, "target");
        if (!target.startsWith("/")) {
            URI uri = URI.create(target);
            if (uri.getRawSchemeSpecificPart() == null || !uri.isAbsolute()) {
                throw new IllegalArgumentException("not a request target: " + target);
            }
            target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        return new Handshake(path.isEmpty() ? "/" : path, query, headers, remoteAddress);
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case
     * @return the first value, or empty if the header is absent
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(Objects.requireNonNull(name, "name"));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order of
     * preference.
     *
     * @return the offered subprotocols, possibly empty
     */
    public List<String> offeredSubprotocols() {
        List<String> offered = new ArrayList<>();
        for (String value : headers.getOrDefault("Sec-WebSocket-Protocol", List.of())) {
            for (String token : value.split(",")) {
                String trimmed = token.trim();
                if (!trimmed.isEmpty()) {
                    offered.add(trimmed);
                }
            }
        }
        return List.copyOf(offered);
    }

    /**
     * The query parameters, percent-decoded as UTF-8 ({@code +} is a space), in the order they
     * appear; a parameter without {@code =} has the empty string as its value.
     *
     * @return the parameters, possibly empty
     */
    public Map<String, List<String>> queryParameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return Map.of();
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * The first value of a query parameter, percent-decoded as in {@link #queryParameters()}.
     *
     * @param name the parameter's name, matched exactly
     * @return its first value, or empty if the query has no such parameter
     */
    public Optional<String> queryParameter(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = queryParameters().get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    @Override
    public String toString() {
        return "Handshake[" + path + (query.isEmpty() ? "" : "?" + query) + " from " + remoteAddress + "]";
    }
}
