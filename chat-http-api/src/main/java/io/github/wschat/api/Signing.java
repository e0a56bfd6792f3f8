package io.github.wschat.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures of what the server sends a backend (webhooks, hooks), as Standard Webhooks has them:
 * {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature: v1,BASE64}, the HMAC-SHA256
 * of {@code id.timestamp.body} keyed with the secret's UTF-8 bytes. Stateless.
 */
final class Signing {

    private Signing() {
    }

    /** The {@code v1,…} signature of a request. */
    static String sign(byte[] secret, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** Whether one of the space-separated signatures is right (constant time) and the timestamp recent. */
    static boolean verify(String secret, String id, String timestamp, byte[] body, String signatures, Duration tolerance) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = sign(secret.getBytes(StandardCharsets.UTF_8), id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (String given : signatures.trim().split(" ")) {
            ok |= MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }
}
