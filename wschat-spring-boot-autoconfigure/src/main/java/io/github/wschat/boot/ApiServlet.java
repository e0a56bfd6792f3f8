package io.github.wschat.boot;

import io.github.wschat.api.ChatApi;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The server HTTP API ({@link ChatApi}) in the application's servlet container, at {@code
 * wschat.api.path}: the path below it is the API's. Bodies over 64 KiB are refused by the API. Thread-safe.
 */
final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 64 * 1024 + 1;

    private final transient Supplier<ChatApi> api;

    ApiServlet(Supplier<ChatApi> api) {
        this.api = api;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readNBytes(MAX_BODY);
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        ChatApi.Response answer = api.get().handle(new ChatApi.Request(request.getMethod().toUpperCase(Locale.ROOT), path,
                request.getQueryString(), request::getHeader, body));
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        byte[] out = answer.body();
        if (out.length > 0) {
            response.setContentType(answer.contentType());
            response.setContentLength(out.length);
            response.getOutputStream().write(out);
        }
    }
}
