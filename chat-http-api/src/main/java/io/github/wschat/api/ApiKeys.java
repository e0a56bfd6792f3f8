package io.github.wschat.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The API's keys, each with a name. A request's key is compared with every key in constant time (the
 * SHA-256 digests, with {@link MessageDigest#isEqual}, all of them, whatever matched): how long the
 * check takes tells nothing of a key. Immutable; thread-safe.
 */
final class ApiKeys {

    private final Map<String, byte[]> digests = new LinkedHashMap<>();

    ApiKeys(Map<String, String> keys) {
        keys.forEach((name, key) -> digests.put(name, digest(key)));
    }

    /** The name of the key the request carries ({@code Authorization: Bearer} or {@code X-Api-Key}), if one matches. */
    Optional<String> caller(Function<String, String> header) {
        String given = header.apply("X-Api-Key");
        String authorization = header.apply("Authorization");
        if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).trim();
        }
        if (given == null || given.isEmpty()) {
            return Optional.empty();
        }
        byte[] offered = digest(given);
        String match = null;
        for (Map.Entry<String, byte[]> key : digests.entrySet()) {
            if (MessageDigest.isEqual(offered, key.getValue()) && match == null) {
                match = key.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
