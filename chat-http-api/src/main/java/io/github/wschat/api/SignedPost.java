package io.github.wschat.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the server POSTs to a backend (webhooks, hooks) and how: the URL, the secret that signs each
 * request ({@link Signing}), the time the backend has to answer, and one JDK {@link HttpClient}, whose
 * connections are kept alive and reused. Immutable; thread-safe.
 */
final class SignedPost {

    private final URI url;
    private final byte[] secret;
    private final Duration timeout;
    private final HttpClient http;

    SignedPost(URI url, String secret, Duration timeout) {
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Checks what a builder is given: an http or https URL, a secret of 16 characters or more; {@code what} names them. */
    static void check(URI url, String secret, String what) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("a " + what + " URL is http or https: " + url);
        }
        if (secret.length() < 16) {
            throw new IllegalArgumentException("a " + what + " secret has at least 16 characters");
        }
    }

    /** A timeout a builder is given, if positive. */
    static Duration positive(Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException("the timeout is positive: " + wait);
        }
        return wait;
    }

    URI url() {
        return url;
    }

    HttpClient http() {
        return http;
    }

    /** The POST of this JSON body, signed: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}. */
    HttpRequest request(String id, byte[] body) {
        String timestamp = Signing.now();
        return HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", Signing.sign(secret, id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }
}
