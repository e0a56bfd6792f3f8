package io.github.wschat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How an HTTP hook asks its backend: the question POSTed signed ({@link SignedPost}) and sent
 * asynchronously, the answer (200 with JSON) turned into a verdict, and everything else — another
 * status, no JSON, no verdict, an error, the timeout, the {@link Breaker} open — into the verdict for a
 * backend away. Immutable; thread-safe.
 *
 * @param <V> the verdict
 */
final class HookCall<V> {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String what;
    private final String idPrefix;
    private final SignedPost post;
    private final Breaker breaker;
    private final V unavailable;

    /**
     * @param what the hook, for the log: "line filter"
     * @param idPrefix of each request's id: "msg_"
     * @param unavailable the verdict when the backend cannot decide
     */
    HookCall(HookBuilder<?> settings, String what, String idPrefix, V unavailable) {
        this.what = what;
        this.idPrefix = idPrefix;
        this.post = settings.newPost();
        this.breaker = settings.newBreaker(what);
        this.unavailable = unavailable;
    }

    /**
     * Asks the backend.
     *
     * @param question the JSON question
     * @param decide the verdict of an answer; null when the answer holds none
     * @return the verdict, which never fails
     */
    CompletionStage<V> ask(ObjectNode question, Function<JsonNode, V> decide) {
        if (!breaker.mayAsk()) {
            return CompletableFuture.completedStage(unavailable);
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(question);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String id = idPrefix + UUID.randomUUID().toString().replace("-", "");
        return post.http().sendAsync(post.request(id, body), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(answer -> verdict(answer, decide))
                .exceptionally(this::failed);
    }

    private V verdict(HttpResponse<byte[]> answer, Function<JsonNode, V> decide) {
        if (answer.statusCode() != 200) {
            return failed(new IOException("the " + what + " answered " + answer.statusCode()));
        }
        JsonNode verdict;
        try {
            verdict = JSON.readTree(answer.body());
        } catch (IOException e) {
            return failed(new IOException("the " + what + "'s answer is not JSON"));
        }
        V decided = decide.apply(verdict);
        if (decided == null) {
            return failed(new IOException("the " + what + "'s answer has no verdict: " + verdict));
        }
        breaker.succeeded();
        return decided;
    }

    private V failed(Throwable error) {
        breaker.failed(error);
        return unavailable;
    }
}
