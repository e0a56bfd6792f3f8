package io.github.wschat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.wschat.broker.BrokerUnavailableException;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;

/**
 * A request the API answers with an RFC 9457 problem detail, thrown from wherever the routing or an
 * operation finds it, and the problem details themselves. No stack trace: it is an answer, not a fault.
 */
final class ApiRefusal extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROBLEM = "application/problem+json";

    private final transient ChatApi.Response response;

    private ApiRefusal(ChatApi.Response response) {
        super(null, null, false, false);
        this.response = response;
    }

    ChatApi.Response response() {
        return response;
    }

    static ApiRefusal of(int status, String type, String title, String detail) {
        return new ApiRefusal(problem(status, type, title, detail));
    }

    /** An RFC 9457 problem detail: {@code type} a URN of this API's, {@code title}, {@code status}, {@code detail}. */
    static ChatApi.Response problem(int status, String type, String title, String detail) {
        ObjectNode body = JSON.createObjectNode().put("type", "urn:wschat:problem:" + type)
                .put("title", title).put("status", status).put("detail", detail);
        try {
            return new ChatApi.Response(status, PROBLEM, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a failed operation of the server is answered with. */
    static ApiRefusal forFailure(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof NoSuchElementException) {
            return ApiRefusal.of(404, "no-such-member", "No such member", c.getMessage());
        }
        if (c instanceof BrokerUnavailableException) {
            return ApiRefusal.of(503, "unavailable", "Unavailable", "the room cannot take it now: " + c.getMessage());
        }
        if (c instanceof IllegalArgumentException) {
            return ApiRefusal.of(400, "bad-request", "Bad request", c.getMessage());
        }
        return ApiRefusal.of(500, "internal", "Internal error", String.valueOf(c));
    }

}
